"""The Privacy Officer keeps the processors register and answers privacy requests; the
AED reads both (csce/privacy/roles.py)."""

from django.db import migrations

# The roles are applied after every ``migrate`` from each app's roles.py (csce/accounts/
# signals.py); a migration holds no live role data, so this step no longer does anything.

class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("accounts", "0007_recovery_codes_from_otp_static"),
        ("retention", "0002_retention_review_permission"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
