"""The AED, the Privacy Officer and the technical administrator see the retention panel
(``retention.view_purgerun``, csce/retention/roles.py)."""

from django.db import migrations

# The roles are applied after every ``migrate`` from each app's roles.py (csce/accounts/
# signals.py); a migration holds no live role data, so this step no longer does anything.

class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0005_lockout_permissions"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
