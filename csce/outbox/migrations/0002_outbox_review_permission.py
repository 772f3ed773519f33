"""The AED and the technical administrator see the outgoing e-mail
(``outbox.view_outboxmessage``, csce/outbox/roles.py)."""

from django.db import migrations

# The roles are applied after every ``migrate`` from each app's roles.py (csce/accounts/
# signals.py); a migration holds no live role data, so this step no longer does anything.

class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_outbox_message"),
        ("analytics", "0002_statistics_role_permission"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
