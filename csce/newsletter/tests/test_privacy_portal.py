"""A person's privacy request reaches their newsletter subscription through the privacy
app's own path (policy P9, P10; CASL s.11, s.13): the officer's search finds it, the
export bundle carries the proof of consent, erasure leaves only the suppression hash,
and a withdrawal confirmed through the portal unsubscribes at once."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest

from csce.accounts.factories import staff_user
from csce.accounts.roles import PRIVACY_OFFICER
from csce.common.testing import database_text_dump
from csce.newsletter.factories import subscriber_create, topics_create
from csce.newsletter.models import (
    ConsentRecord,
    Subscriber,
    Suppression,
    SuppressionReason,
    suppression_hash,
)
from csce.privacy.factories import privacy_request_make
from csce.privacy.models import EventKind, RequestKind
from csce.privacy.services import privacy_request_verification_create, privacy_request_verify
from csce.privacy.workspace import (
    privacy_request_discover,
    privacy_request_erase,
    privacy_request_export,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_home")]

EMAIL = "rosalie.bergeron@example.org"
FIRST_NAME = "Rosalie"


@pytest.fixture
def officer(db):
    return staff_user(role=PRIVACY_OFFICER, username="agente-infolettre", verified=False)


@pytest.fixture
def subscriber(db) -> Subscriber:
    return subscriber_create(email=EMAIL, first_name=FIRST_NAME, topics=topics_create())


def _newsletter(data: dict) -> dict:
    return next(source for source in data["sources"] if source["key"] == "newsletter")


def test_the_officers_search_finds_the_subscription_and_its_consent(officer, subscriber):
    request = privacy_request_make(email=EMAIL.upper())
    findings = {f.key: f for f in privacy_request_discover(request=request, actor=officer)}
    records = findings["newsletter"].records
    assert [r.object_type for r in records] == [
        "newsletter.subscriber",
        "newsletter.consentrecord",
    ]
    assert request.events.get(kind=EventKind.DISCOVERY).details["sources"]["newsletter"] == 2


@pytest.mark.parametrize(
    ("language", "label"), [("fr", "Texte accepté"), ("en", "Words agreed to")]
)
def test_the_export_bundle_carries_the_proof_of_consent(officer, subscriber, language, label):
    consent = ConsentRecord.objects.get(subscriber=subscriber)
    request = privacy_request_make(email=EMAIL, language=language)
    bundle = privacy_request_export(request=request, actor=officer)

    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(bundle.content)))
    data = json.loads(archive.read("data.json"))
    [record] = _newsletter(data)["records"]
    assert record["email"] == EMAIL
    assert record["first_name"] == FIRST_NAME
    [proof] = record["consents"]
    assert proof["wording"] == consent.wording
    assert proof["wording_version"] == consent.wording_version
    assert proof["request_network"] == consent.request_network
    report = archive.read("report.html").decode()
    assert EMAIL in report
    assert consent.wording_version in report
    assert label in report  # the readable report names each value in the person's language
    assert request.events.get(kind=EventKind.EXPORT).details["sources"]["newsletter"] == 1


def test_erasure_leaves_only_the_suppression_hash(officer, subscriber):
    request = privacy_request_make(email=EMAIL, kind=RequestKind.DELETION)
    results = privacy_request_erase(request=request, actor=officer)

    assert results["newsletter"] == {"erased": 1}
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()
    suppression = Suppression.objects.get()
    assert suppression.reason == SuppressionReason.ERASED
    assert suppression.address_hash == suppression_hash(EMAIL)
    # Neither the address nor the name can be read in the database any more.
    dump = database_text_dump()
    assert EMAIL not in dump
    assert FIRST_NAME not in dump
    # A second search says only that the address is on the suppression list.
    again = {f.key: f for f in privacy_request_discover(request=request, actor=officer)}
    assert [r.object_type for r in again["newsletter"].records] == ["newsletter.suppression"]


def test_a_withdrawal_confirmed_through_the_portal_unsubscribes_at_once(subscriber):
    _verification, token = privacy_request_verification_create(
        kind=RequestKind.WITHDRAWAL,
        email=EMAIL,
        name="",
        details="",
        language="fr",
        page_url="http://testserver/fr/vos-droits/",
    )
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()  # nothing before the link

    request = privacy_request_verify(token=token)

    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().reason == SuppressionReason.WITHDRAWN
    event = request.events.get(kind=EventKind.CONSENT_WITHDRAWN)
    assert event.details["sources"]["newsletter"] == 1
