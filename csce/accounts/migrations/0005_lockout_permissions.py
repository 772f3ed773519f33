"""The technical administrator unlocks accounts locked by django-axes (csce/accounts/roles.py)."""

from django.db import migrations

# The roles are applied after every ``migrate`` from each app's roles.py (csce/accounts/
# signals.py); a migration holds no live role data, so this step no longer does anything.

class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_policy_v1"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
