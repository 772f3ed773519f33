"""Recovery codes are kept only as keyed hashes, and each works once (policy M)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from csce.accounts import mfa
from csce.accounts.factories import staff_user
from csce.accounts.mfa_models import RecoveryCode, RecoveryCodeDevice, recovery_code_normalise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def staff(db):
    # Policy M: the tests give the account its devices themselves.
    return staff_user(username="codes", verified=False)


@pytest.fixture
def request_for(rf):
    def make(user):
        request = rf.get("/")
        request.user = user
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        return request

    return make


def _table_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return " ".join(str(cell) for row in cursor.fetchall() for cell in row).lower()


def test_no_code_is_stored_as_typed(staff, request_for):
    codes = mfa.recovery_codes_generate(request=request_for(staff))
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = _table_text(RecoveryCode._meta.db_table) + _table_text(
        RecoveryCodeDevice._meta.db_table
    )
    stored += _table_text(StaticToken._meta.db_table)
    for code in codes:
        assert code not in stored
        assert recovery_code_normalise(code) not in stored
    assert RecoveryCode.objects.count() == 10
    assert not StaticDevice.objects.exists()  # django-otp's plain table is no longer used


def test_each_code_works_once_whatever_its_spelling(staff, request_for):
    codes = mfa.recovery_codes_generate(request=request_for(staff))
    device = RecoveryCodeDevice.objects.get(user=staff)
    assert device.verify_token(codes[0].upper().replace("-", " "))
    assert not device.verify_token(codes[0])
    assert not device.verify_token("aaaaa-aaaaa")
    assert mfa.recovery_codes_remaining(user=staff) == 9
    assert mfa.mfa_device_type(device) == mfa.RECOVERY_CODES


def test_codes_survive_a_key_rotation_with_the_old_key_as_fallback(staff, request_for, settings):
    codes = mfa.recovery_codes_generate(request=request_for(staff))
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789-abcdef"
    device = RecoveryCodeDevice.objects.get(user=staff)
    assert not device.verify_token(codes[0])
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert device.verify_token(codes[0])


def test_migration_hashes_the_plain_codes_and_deletes_them(staff):
    old = StaticDevice.objects.create(user=staff, name="recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=old, token=token) for token in ("abcdefgh", "ijklmnop")
    )
    migration = import_module("csce.accounts.migrations.0007_recovery_codes_from_otp_static")
    migration.recovery_codes_hash(django_apps, None)

    assert not StaticDevice.objects.exists()
    assert not StaticToken.objects.exists()
    assert "abcdefgh" not in _table_text(RecoveryCode._meta.db_table)
    device = RecoveryCodeDevice.objects.get(user=staff)
    assert device.confirmed
    assert device.verify_token("ABCD-EFGH")
    assert not device.verify_token("abcdefgh")
    assert device.verify_token("ijklmnop")
