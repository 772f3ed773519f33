"""Model fields whose values are encrypted in the database (policy F, P6: personal and
sensitive values are encrypted at rest).

The column holds a Fernet token (text); Python code sees the plain value. Such a
column cannot be searched or ordered: lookups go through a blind index instead
(`csce.common.crypto.blind_index`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .crypto import decrypt_text, encrypt_text


class EncryptedFieldMixin:
    """Encrypts on the way in, decrypts on the way out; only ``isnull`` can be queried."""

    encrypted = True

    def _serialise(self, value: Any) -> str:
        return str(value)

    def _deserialise(self, text: str) -> Any:
        return text

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(self._serialise(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self._deserialise(decrypt_text(value))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: it cannot be searched with '{lookup_name}'; "
                "use its blind index."
            )
        return super().get_lookup(lookup_name)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, f"{self.__module__}.{type(self).__name__}", args, kwargs


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    description = "Text, encrypted at rest"

    def to_python(self, value):
        return value if value is None else str(value)


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """JSON-serialisable data (a dict of answers, say), encrypted as one value."""

    description = "JSON, encrypted at rest"

    def _serialise(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)

    def _deserialise(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj):
        return self._serialise(self.value_from_object(obj))


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    """The encrypted fields of a model, for key rotation and the raw-table tests."""
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
