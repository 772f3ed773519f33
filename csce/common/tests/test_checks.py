"""The system checks keep every retention within policy M's cap and every encrypted model
in the personal-data registry (csce/common/checks.py)."""

from __future__ import annotations

import io

from django.core import checks
from django.core.management import call_command

from csce.common import policy
from csce.common.checks import encrypted_models_registered_check, retention_within_cap_check
from csce.common.registry import PersonalDataSource, personal_data_registry
from csce.outbox.models import OutboxMessage
from csce.privacy.models import PrivacyRequest


def _source(**fields) -> PersonalDataSource:
    return PersonalDataSource(
        key=fields.pop("key", "fake"), label="Fake", purpose="Test", retention="", **fields
    )


def _ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_real_registry_and_settings_pass():
    assert retention_within_cap_check() == []
    assert encrypted_models_registered_check() == []


def test_the_checks_run_with_manage_py_check():
    call_command("check", tags=[checks.Tags.security], stdout=io.StringIO())


def test_a_source_keeping_data_past_the_cap_is_an_error():
    source = _source(retention_days=policy.RETENTION_CAP_DAYS + 1)
    errors = retention_within_cap_check(sources=[source], configured={})
    assert _ids(errors) == ["common.E002"]
    assert isinstance(errors[0], checks.Error)


def test_a_source_at_the_cap_passes():
    source = _source(retention_days=policy.RETENTION_CAP_DAYS)
    assert retention_within_cap_check(sources=[source], configured={}) == []


def test_a_legal_record_may_be_kept_longer_when_it_names_its_law():
    source = _source(retention_days=730, legal_hold="PIPEDA s.10.3")
    assert retention_within_cap_check(sources=[source], configured={}) == []


def test_a_lower_cap_catches_a_source_that_was_within_the_old_one():
    source = _source(retention_days=60)
    assert _ids(retention_within_cap_check(sources=[source], cap_days=30, configured={})) == [
        "common.E002"
    ]


def test_a_source_without_a_retention_rule_is_an_error():
    assert _ids(retention_within_cap_check(sources=[_source()], configured={})) == ["common.E001"]


def test_a_retention_setting_past_the_cap_is_an_error():
    too_long = (policy.RETENTION_CAP_DAYS + 1) * 86400
    errors = retention_within_cap_check(
        sources=[], configured={"FORM_RATE_WINDOW_SECONDS": too_long}
    )
    assert _ids(errors) == ["common.E003"]


def test_the_privacy_requests_keep_their_legal_hold():
    """PIPEDA: the privacy-request records outlive the cap only because a law says so."""
    source = personal_data_registry.get("privacy_requests")
    assert source.retention_days > policy.RETENTION_CAP_DAYS
    assert source.legal_hold


def test_an_encrypted_model_in_no_source_is_an_error():
    declared = _source(models=("privacy.PrivacyRequest",), retention_days=1)
    errors = encrypted_models_registered_check(
        sources=[declared], encrypted_models=[PrivacyRequest, OutboxMessage]
    )
    assert _ids(errors) == ["common.E004"]
    assert errors[0].obj is OutboxMessage


def test_an_e_mail_provider_without_its_key_is_an_error_and_always_a_reminder():
    from csce.common.checks import email_provider_check

    assert email_provider_check(provider="", api_key="") == []
    ids = [m.id for m in email_provider_check(provider="postmark", api_key="")]
    assert ids == ["common.E005", "common.W005"]
    reminder = email_provider_check(provider="postmark", api_key="tok")
    assert [m.id for m in reminder] == ["common.W005"]
    assert "processors register" in reminder[0].msg
