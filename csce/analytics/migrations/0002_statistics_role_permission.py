"""The AED and Communications read the website statistics (``analytics.view_statistics``,
csce/analytics/roles.py)."""

from django.db import migrations

# The roles are applied after every ``migrate`` from each app's roles.py (csce/accounts/
# signals.py); a migration holds no live role data, so this step no longer does anything.

class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("accounts", "0007_recovery_codes_from_otp_static"),
        ("privacy", "0004_notice_version_section_hashes"),
        ("retention", "0003_scheduled_job_run"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
