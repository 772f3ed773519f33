"""The technical administrator unlocks accounts locked by django-axes (csce/accounts/roles.py)."""

from importlib import import_module

from django.db import migrations

from csce.accounts.roles import roles_apply


def forwards(apps, schema_editor):
    import_module("csce.accounts.migrations.0001_roles")._permissions_create(apps)
    roles_apply(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_policy_v1"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
