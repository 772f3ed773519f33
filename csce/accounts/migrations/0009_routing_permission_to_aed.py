"""The AED alone changes which inbox receives a form or a topic (csce/accounts/roles.py)."""

from importlib import import_module

from django.db import migrations

from csce.accounts.roles import roles_apply


def forwards(apps, schema_editor):
    import_module("csce.accounts.migrations.0001_roles")._permissions_create(apps)
    roles_apply(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_role_requests"),
        ("submissions", "0005_routing_permission"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
