"""Version 1 of the online-property policy (text in csce/accounts/policy_v1.py), and the
policy permissions of the roles (csce/accounts/roles.py)."""

from django.db import migrations
from django.utils import timezone

from csce.accounts import policy_v1
from csce.accounts.roles import roles_apply


def forwards(apps, schema_editor):
    from importlib import import_module

    import_module("csce.accounts.migrations.0001_roles")._permissions_create(apps)
    roles_apply(apps=apps)
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
