"""The AED alone changes which inbox receives a form or a topic (csce/submissions/roles.py)."""

from django.db import migrations

# The roles are applied after every ``migrate`` from each app's roles.py (csce/accounts/
# signals.py); a migration holds no live role data, so this step no longer does anything.

class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_role_requests"),
        ("submissions", "0005_routing_permission"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
