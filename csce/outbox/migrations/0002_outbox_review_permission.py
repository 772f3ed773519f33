"""The AED and the technical administrator see the outgoing e-mail
(``outbox.view_outboxmessage``, csce/accounts/roles.py)."""

from importlib import import_module

from django.db import migrations

from csce.accounts.roles import roles_apply


def forwards(apps, schema_editor):
    import_module("csce.accounts.migrations.0001_roles")._permissions_create(apps)
    roles_apply(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_outbox_message"),
        ("analytics", "0002_statistics_role_permission"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
