"""Files that visitors attach to a form (policy F, M).

Only a few types are accepted, recognised by their first bytes rather than by the name
or the browser's word. Each file is encrypted (csce.common.crypto) and written under
PRIVATE_MEDIA_ROOT with a random name, never under MEDIA_ROOT: no URL serves that
folder. Staff read a file only through the inbox's download view (inbox/admin_views.py), which
checks the inbox and writes the read to the access log; the file goes with the submission.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.crypto import decrypt_bytes, encrypt_bytes, reencrypt_token, token_uses_current_key

from .models.records import Submission, SubmissionFile

logger = logging.getLogger(__name__)

FILE_TYPE = "submissions.submissionfile"
BLOB_FOLDER = "submissions"
# A blob younger than this may belong to a submission whose transaction is still open.
ORPHAN_MIN_AGE = datetime.timedelta(hours=1)

# extension -> (content type, test of the first bytes)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "txt": ("text/plain", lambda head: _looks_like_text(head)),
}


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the end of the sample is still text.
        try:
            text = data[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\t\n\r\f" for ch in text)


def file_type_detect(*, name: str, head: bytes) -> str | None:
    """The content type of an allowed file, or None: extension and content must agree."""
    extension = Path(name or "").suffix.lower().lstrip(".")
    allowed = ALLOWED_TYPES.get(extension)
    if allowed is None:
        return None
    content_type, test = allowed
    return content_type if test(head) else None


class UploadField(forms.FileField):
    """A file field for public forms: PDF, JPEG, PNG or plain text, up to a size."""

    default_error_messages = {
        "file_type": _("Please attach a PDF, JPEG, PNG or plain-text file."),
        "file_size": _("The file is too large: at most %(max)s."),
        "empty": _("The file is empty."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,.txt")

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded:
            return uploaded
        if uploaded.size > settings.FORM_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                self.error_messages["file_size"],
                code="file_size",
                params={"max": filesizeformat(settings.FORM_UPLOAD_MAX_BYTES)},
            )
        uploaded.seek(0)
        head = uploaded.read(2048)
        uploaded.seek(0)
        content_type = file_type_detect(name=uploaded.name, head=head)
        if content_type is None:
            raise forms.ValidationError(self.error_messages["file_type"], code="file_type")
        uploaded.detected_content_type = content_type
        return uploaded


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def _blob_path(blob: str) -> Path:
    root = private_root().resolve()
    target = (root / blob).resolve()
    if root not in target.parents:
        raise ValueError("blob outside the private storage")
    return target


def _blob_write(data: bytes) -> str:
    token = secrets.token_hex(20)
    blob = f"{BLOB_FOLDER}/{token[:2]}/{token}.bin"
    target = _blob_path(blob)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return blob


def _blob_delete(blob: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        _blob_path(blob).unlink(missing_ok=True)


def submission_files_store(*, submission: Submission, form) -> list[SubmissionFile]:
    """Encrypt and keep each file the visitor attached to ``submission``."""
    stored = []
    for name, field in form.fields.items():
        if not isinstance(field, UploadField):
            continue
        uploaded = form.cleaned_data.get(name)
        if not uploaded:
            continue
        uploaded.seek(0)
        data = uploaded.read()
        blob = _blob_write(encrypt_bytes(data))
        stored.append(
            SubmissionFile.objects.create(
                submission=submission,
                field_name=name,
                original_name=get_valid_filename(Path(uploaded.name).name)[:200] or "file",
                content_type=getattr(uploaded, "detected_content_type", "application/octet-stream"),
                size=len(data),
                blob=blob,
            )
        )
    return stored


def submission_files_delete(*, submission_ids: list[int]) -> int:
    """Delete the files of these submissions: rows now, the encrypted blobs once committed."""
    files = SubmissionFile.objects.filter(submission_id__in=submission_ids)
    blobs = list(files.values_list("blob", flat=True))
    if not blobs:
        return 0
    files.delete()
    transaction.on_commit(lambda: [_blob_delete(blob) for blob in blobs])
    return len(blobs)


def submission_files_orphans_delete(
    *, now: datetime.datetime | None = None, batch_size: int = 500
) -> int:
    """Delete encrypted blobs that no SubmissionFile names, once older than an hour.

    The blob is written before its row; when the submission's transaction rolls back,
    the row goes and the blob stays (policy M: nothing collected is kept unaccounted for).
    A blob some row names is never touched. Returns how many blobs were deleted.
    """
    folder = private_root() / BLOB_FOLDER
    if not folder.is_dir():
        return 0
    cutoff = ((now or timezone.now()) - ORPHAN_MIN_AGE).timestamp()
    deleted = 0
    batch: list[str] = []
    for found in folder.glob("*/*.bin"):
        try:
            if found.stat().st_mtime >= cutoff:
                continue
        except OSError:
            continue
        batch.append(f"{BLOB_FOLDER}/{found.parent.name}/{found.name}")
        if len(batch) >= batch_size:
            deleted += _orphans_delete(batch)
            batch = []
    if batch:
        deleted += _orphans_delete(batch)
    return deleted


def _orphans_delete(blobs: list[str]) -> int:
    named = set(SubmissionFile.objects.filter(blob__in=blobs).values_list("blob", flat=True))
    orphans = [blob for blob in blobs if blob not in named]
    for blob in orphans:
        _blob_delete(blob)
    return len(orphans)


def submission_file_read(*, file: SubmissionFile, actor) -> bytes:
    """The plain content of ``file``; every read is written to the access log."""
    data = decrypt_bytes(_blob_path(file.blob).read_bytes())
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type=FILE_TYPE,
        object_id=file.pk,
        details={"submission": file.submission_id, "field": file.field_name},
    )
    return data


def submission_files_rotate_keys(*, batch_size: int = 100) -> int:
    """Re-encrypt stored files under the current key; returns how many were rewritten."""
    rewritten = 0
    last_pk = 0
    while True:
        batch = list(SubmissionFile.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return rewritten
        for file in batch:
            last_pk = file.pk
            target = _blob_path(file.blob)
            try:
                token = target.read_bytes().decode("ascii")
            except FileNotFoundError:
                continue
            if token_uses_current_key(token):
                continue
            fresh = reencrypt_token(token).encode("ascii")
            temporary = target.with_suffix(".tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(fresh)
            os.replace(temporary, target)
            rewritten += 1
