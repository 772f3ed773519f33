"""The keyed chain: HMAC under ACCESS_LOG_KEY, rotation through fallbacks, legacy entries."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.test import override_settings

from csce.audit.models import AccessAction, AccessLogEntry
from csce.audit.selectors import access_log_verify
from csce.audit.services import access_log_record, entry_digest, entry_fields, key_id

from .factories import chain_rewrite, legacy_entry_create, log_emptied

pytestmark = pytest.mark.django_db

OLD_KEY = "old-access-log-key-" + "a" * 40
NEW_KEY = "new-access-log-key-" + "b" * 40


def entries_record(n: int = 4) -> list[AccessLogEntry]:
    return [
        access_log_record(action=AccessAction.SIGN_IN, object_type="auth.user", object_id=i)
        for i in range(n)
    ]


def test_an_entry_is_signed_with_the_current_key_and_names_it():
    entry = access_log_record(action=AccessAction.SIGN_IN, object_type="auth.user", object_id=7)
    key = settings.ACCESS_LOG_KEY
    assert entry.key_id == hashlib.sha256(key.encode()).hexdigest()[:8]
    assert key not in entry.key_id
    fields = entry_fields(
        created_at=entry.created_at,
        actor_id=None,
        action=entry.action,
        object_type="auth.user",
        object_id="7",
        details={},
        key_id=entry.key_id,
    )
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    message = f"{entry.previous_hash}|{payload}".encode()
    expected = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
    assert entry.entry_hash == expected
    assert entry.entry_hash != entry_digest(
        previous_hash=entry.previous_hash, fields=fields, key=None
    )


@pytest.mark.parametrize("clear_key_id", [False, True], ids=["key-ids-kept", "made-legacy"])
def test_an_edit_rehashed_with_plain_sha256_is_detected(clear_key_id):
    """The attack the key stops: edit a row, then recompute every hash without the key."""
    entries = entries_record()
    # Either each entry keeps its key id, or all are made to look like legacy entries.
    new_key_id = "" if clear_key_id else key_id(settings.ACCESS_LOG_KEY)
    chain_rewrite(key=None, new_key_id=new_key_id, edit={"pk": entries[1].pk, "object_id": "9"})
    result = access_log_verify()
    assert not result.ok
    # The attacker's chain links up, so the break is the signature (or its absence).
    assert result.reason == ("unkeyed" if clear_key_id else "altered")


def test_the_same_rewrite_with_the_key_would_pass_which_is_why_the_key_stays_off_the_database():
    entries = entries_record()
    key = settings.ACCESS_LOG_KEY
    edit = {"pk": entries[1].pk, "object_id": "9"}
    chain_rewrite(key=key.encode(), new_key_id=key_id(key), edit=edit)
    assert access_log_verify().ok


def test_entries_signed_with_an_old_key_verify_with_it_in_the_fallbacks():
    # The entries written while the test database was migrated keep verifying throughout.
    migrated = settings.ACCESS_LOG_KEY
    with override_settings(ACCESS_LOG_KEY=OLD_KEY, ACCESS_LOG_KEY_FALLBACKS=[migrated]):
        old = entries_record(2)
    with override_settings(ACCESS_LOG_KEY=NEW_KEY, ACCESS_LOG_KEY_FALLBACKS=[OLD_KEY, migrated]):
        new = access_log_record(action=AccessAction.SIGN_OUT)
        assert access_log_verify().ok
    assert old[0].key_id == key_id(OLD_KEY)
    assert new.key_id == key_id(NEW_KEY)
    with override_settings(ACCESS_LOG_KEY=NEW_KEY, ACCESS_LOG_KEY_FALLBACKS=[migrated]):
        result = access_log_verify()
    assert not result.ok
    assert (result.reason, result.first_broken_id) == ("unknown_key", old[0].pk)


def legacy_entries_sealed():
    migration = importlib.import_module("csce.audit.migrations.0003_keyed_chain")
    migration.legacy_entries_sealed(apps, None)


def test_legacy_entries_verify_once_sealed_by_the_migration():
    log_emptied()  # as on an installation whose log predates the key
    legacy = [legacy_entry_create(object_id=str(i)) for i in range(3)]
    assert not access_log_verify().ok  # an unsealed unkeyed chain could be anyone's
    legacy_entries_sealed()
    seal = AccessLogEntry.objects.order_by("-pk").first()
    assert (seal.action, seal.object_id, seal.details) == (
        AccessAction.LOG_KEYED,
        str(legacy[-1].pk),
        {"legacy_entries": 3},
    )
    assert seal.key_id == key_id(settings.ACCESS_LOG_KEY)
    access_log_record(action=AccessAction.SIGN_IN)
    assert access_log_verify().ok
    legacy_entries_sealed()  # running it again adds nothing: the chain already ends keyed
    assert AccessLogEntry.objects.filter(action=AccessAction.LOG_KEYED).count() == 1


def test_rewriting_the_legacy_entries_breaks_the_keyed_seal():
    log_emptied()
    legacy = [legacy_entry_create(object_id=str(i)) for i in range(3)]
    legacy_entries_sealed()
    seal = AccessLogEntry.objects.order_by("-pk").first()
    # Plain SHA-256 is enough to re-hash the legacy prefix, not to re-sign the seal.
    chain_rewrite(key=None, new_key_id="", edit={"pk": legacy[1].pk, "object_id": "9"})
    result = access_log_verify()
    assert not result.ok
    assert result.first_broken_id == seal.pk
