"""Version 1 of the online-property policy (text in csce/accounts/policy_v1.py). The roles'
policy permissions are applied after every ``migrate`` (csce/accounts/signals.py)."""

from django.db import migrations
from django.utils import timezone

from csce.accounts import policy_v1


def forwards(apps, schema_editor):
    PolicyVersion = apps.get_model("accounts", "PolicyVersion")
    PolicyVersion.objects.get_or_create(
        version_label=policy_v1.VERSION_LABEL,
        defaults={
            # In force from installation: every staff member acknowledges it first.
            "effective_date": timezone.localdate(),
            "summary_fr": policy_v1.SUMMARY_FR,
            "summary_en": policy_v1.SUMMARY_EN,
            "body_fr": policy_v1.BODY_FR,
            "body_en": policy_v1.BODY_EN,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_policy")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
