"""Encryption at rest for personal and sensitive values, and the blind index.

Authenticated encryption is the `cryptography` package's Fernet (AES-128-CBC with
HMAC-SHA256); MultiFernet accepts several keys so that keys can rotate: the first key of
FIELD_ENCRYPTION_KEYS encrypts, every key decrypts, and `manage.py rotate_field_key`
re-encrypts stored values under the first one (docs/decisions/0009-field-encryption.md).

Keys are secrets of any form (environment or the generated key file); each is stretched
into a Fernet key with HKDF so that an operator can paste any long random string.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "DecryptionError",
    "blind_index",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "normalise_email",
    "reencrypt_token",
]


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


def _derive(secret: str, *, purpose: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"csce:" + purpose)
    return hkdf.derive(secret.encode("utf-8"))


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = [k for k in settings.FIELD_ENCRYPTION_KEYS if k]
    if not keys:
        raise RuntimeError("FIELD_ENCRYPTION_KEYS is empty: personal data cannot be stored.")
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(k, purpose=b"field-encryption"))) for k in keys]
    )


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    return _derive(settings.BLIND_INDEX_KEY, purpose=b"blind-index")


@receiver(setting_changed)
def _keys_changed(*, setting, **kwargs):
    if setting in ("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"):
        _fernet.cache_clear()
        _index_key.cache_clear()


def encrypt_bytes(value: bytes) -> bytes:
    return _fernet().encrypt(value)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        # Never echo the token: it may be all an attacker lacks to try another key.
        raise DecryptionError("A stored value could not be decrypted with any key.") from exc


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode("utf-8")


def reencrypt_token(token: str) -> str:
    """The same plaintext under the first (current) key; used by key rotation."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("A stored value could not be decrypted with any key.") from exc


def token_uses_current_key(token: str) -> bool:
    first = _fernet()._fernets[0]
    try:
        first.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def normalise_email(address: str) -> str:
    """One form per mailbox for lookups: NFKC, trimmed, lower-cased."""
    return unicodedata.normalize("NFKC", address or "").strip().lower()


def blind_index(value: str, *, kind: str = "email") -> str:
    """A keyed hash that finds a record by e-mail without storing or querying the address.

    The key (BLIND_INDEX_KEY) is separate from the encryption keys and from the
    database, so a copy of the database alone cannot test guesses against it.
    """
    normalised = normalise_email(value) if kind == "email" else value
    if not normalised:
        return ""
    digest = hmac.new(_index_key(), f"{kind}:{normalised}".encode(), hashlib.sha256)
    return digest.hexdigest()
