"""The AED, the Privacy Officer and the technical administrator see the retention panel
(``retention.view_purgerun``, csce/accounts/roles.py)."""

from importlib import import_module

from django.db import migrations

from csce.accounts.roles import roles_apply


def forwards(apps, schema_editor):
    import_module("csce.accounts.migrations.0001_roles")._permissions_create(apps)
    roles_apply(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0005_lockout_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
