"""Key rotation for values encrypted at rest (docs/operations.md, key rotation).

Each encrypted column is read as its raw token and re-encrypted under the first key of
FIELD_ENCRYPTION_KEYS when another key wrote it; values are never decrypted into
Python objects of the model, logged or held longer than one row.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from .crypto import reencrypt_token, token_uses_current_key
from .fields import encrypted_fields
from .registry import personal_data_registry


def field_key_rotate(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every stored value under the current key. Returns counts per column."""
    counts: dict[str, int] = {}
    for model in apps.get_models():
        for field in encrypted_fields(model):
            label = f"{model._meta.label}.{field.name}"
            counts[label] = _column_rotate(model=model, field=field, batch_size=batch_size)
    for source in personal_data_registry:
        if source.rotate_keys is not None:
            counts[source.key] = source.rotate_keys(batch_size=batch_size)
    return counts


def _column_rotate(*, model, field, batch_size: int) -> int:
    manager = model._base_manager
    rows = (
        manager.exclude(**{f"{field.name}__isnull": True})
        .annotate(_token=Cast(field.name, TextField()))
        .order_by("pk")
    )
    rotated = 0
    last_pk = None
    while True:
        page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
        batch = list(page.values_list("pk", "_token")[:batch_size])
        if not batch:
            return rotated
        with transaction.atomic():
            for pk, token in batch:
                if token and not token_uses_current_key(token):
                    # A Value expression is written as is: the field does not encrypt it again.
                    manager.filter(pk=pk).update(
                        **{field.name: Value(reencrypt_token(token), output_field=TextField())}
                    )
                    rotated += 1
        last_pk = batch[-1][0]
