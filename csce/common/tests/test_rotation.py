"""`manage.py rotate_field_key`: stored values move to the new key and stay readable."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from csce.submissions.models import Submission, SubmissionNote

pytestmark = pytest.mark.django_db

OLD = "rotation-old-key-0123456789abcdefghijklmnopqrstuvwxyz"
NEW = "rotation-new-key-0123456789abcdefghijklmnopqrstuvwxyz"


def _raw_note(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM submissions_submissionnote WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotation_re_encrypts_under_the_first_key_and_the_old_key_can_go():
    from django.contrib.auth.models import Group

    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        submission = Submission.objects.create(
            form_title="Formulaire",
            kind="inquiry",
            inbox=Group.objects.first(),
            expires_at="2099-01-01T00:00:00Z",
            answers=[{"name": "nom", "value": "Zoë Ouellette"}],
        )
        note = SubmissionNote.objects.create(submission=submission, text="Rappeler Zoë")
        before = _raw_note(note.pk)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        out = io.StringIO()
        call_command("rotate_field_key", batch_size=1, stdout=out)
        assert "submissions.SubmissionNote.text: 1" in out.getvalue()
        assert _raw_note(note.pk) != before
        again = io.StringIO()
        call_command("rotate_field_key", stdout=again)
        assert "Re-encrypted: 0" in again.getvalue()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        assert SubmissionNote.objects.get(pk=note.pk).text == "Rappeler Zoë"
        assert Submission.objects.get(pk=submission.pk).answers[0]["value"] == "Zoë Ouellette"
    assert "Zoë" not in _raw_note(note.pk)
