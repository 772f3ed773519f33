"""Recovery codes made before 0006 move from django-otp's plain-text table to keyed hashes.

Each ``otp_static`` code is hashed into ``RecoveryCode`` (with the hash of
``csce/accounts/mfa_models.py`` as it was written for this migration), then the plain
rows are deleted. Not reversible: going back leaves the users without recovery codes,
which they make again from their account page.
"""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

RECOVERY_CODE_SALT = "csce.accounts.recovery_code"


def _hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return salted_hmac(
        RECOVERY_CODE_SALT, normalised, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def recovery_codes_hash(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for old in StaticDevice.objects.all():
        new = RecoveryCodeDevice.objects.create(
            user_id=old.user_id, name=old.name, confirmed=old.confirmed
        )
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=new, token_hash=_hash(token.token)) for token in old.token_set.all()
        )
    StaticDevice.objects.all().delete()  # the tokens go with their device


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_recovery_codes_hashed"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(recovery_codes_hash, migrations.RunPython.noop)]
