"""The AED and Communications read the website statistics (``analytics.view_statistics``,
csce/accounts/roles.py)."""

from importlib import import_module

from django.db import migrations

from csce.accounts.roles import roles_apply


def forwards(apps, schema_editor):
    import_module("csce.accounts.migrations.0001_roles")._permissions_create(apps)
    roles_apply(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("accounts", "0007_recovery_codes_from_otp_static"),
        ("privacy", "0004_notice_version_section_hashes"),
        ("retention", "0003_scheduled_job_run"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
