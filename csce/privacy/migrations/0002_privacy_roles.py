"""The Privacy Officer keeps the processors register and answers privacy requests; the
AED reads both (csce/accounts/roles.py)."""

from importlib import import_module

from django.db import migrations

from csce.accounts.roles import roles_apply


def forwards(apps, schema_editor):
    import_module("csce.accounts.migrations.0001_roles")._permissions_create(apps)
    roles_apply(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("accounts", "0007_recovery_codes_from_otp_static"),
        ("retention", "0002_retention_review_permission"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
