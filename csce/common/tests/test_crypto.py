"""Encryption at rest and the blind index (policy M: personal data is encrypted at rest)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from csce.common.crypto import (
    DecryptionError,
    blind_index,
    decrypt_text,
    encrypt_text,
    reencrypt_token,
    token_uses_current_key,
)

OLD = "old-key-0123456789abcdefghijklmnopqrstuvwxyz-old"
NEW = "new-key-0123456789abcdefghijklmnopqrstuvwxyz-new"


def test_a_value_round_trips_and_is_not_readable_in_its_token():
    token = encrypt_text("Marie Tremblay, diabète")
    assert "Marie" not in token
    assert "diab" not in token
    assert decrypt_text(token) == "Marie Tremblay, diabète"


def test_the_same_value_encrypts_differently_each_time():
    assert encrypt_text("same") != encrypt_text("same")


def test_a_tampered_token_is_refused():
    token = encrypt_text("value")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        decrypt_text(tampered)


def test_old_keys_still_decrypt_and_rotation_moves_to_the_first_key():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        token = encrypt_text("à garder")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        assert decrypt_text(token) == "à garder"
        assert not token_uses_current_key(token)
        rotated = reencrypt_token(token)
        assert token_uses_current_key(rotated)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        assert decrypt_text(rotated) == "à garder"
        with pytest.raises(DecryptionError):
            decrypt_text(token)


def test_the_blind_index_ignores_case_and_spaces_but_not_the_address():
    assert blind_index(" Marie@Example.ORG ") == blind_index("marie@example.org")
    assert blind_index("marie@example.org") != blind_index("marie@example.com")
    assert "marie" not in blind_index("marie@example.org")
    assert blind_index("") == ""


def test_the_blind_index_depends_on_its_key():
    value = blind_index("marie@example.org")
    with override_settings(BLIND_INDEX_KEY="another-key-0123456789abcdefghijklmnop"):
        assert blind_index("marie@example.org") != value
