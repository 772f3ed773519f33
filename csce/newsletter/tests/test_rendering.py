"""What a subscriber receives (policy P2, P3; CASL s.6(2), s.11; RFC 8058)."""

from __future__ import annotations

import email
import email.policy
import re
from email.header import decode_header, make_header

import pytest

from csce.newsletter.factories import campaign_create
from csce.newsletter.rendering import Recipient, campaign_message

pytestmark = pytest.mark.django_db


def _recipient(language: str) -> Recipient:
    return Recipient(
        email="lea@example.org",
        language=language,
        first_name="Léa",
        manage_url=f"http://testserver/{language}/preferences/abc/",
        one_click_url="http://testserver/one-click/abc/",
    )


@pytest.mark.parametrize(
    ("language", "subject", "text", "name"),
    [
        ("fr", "Nouvelles de décembre", "Les ateliers reprennent", "Centre de santé communautaire"),
        ("en", "December news", "Workshops start again", "Estrie Community Health Centre"),
    ],
)
def test_each_subscriber_gets_their_language_with_the_senders_identification(
    centre, language, subject, text, name
):
    message = campaign_message(campaign=campaign_create(), recipient=_recipient(language))
    html = message.alternatives[0][0]
    assert message.subject == subject
    assert f'<html lang="{language}">' in html
    for part in (message.body, html):
        assert text in part
        assert name in part
        # CASL s.6(2): a mailing address and a way to reach the sender.
        assert "1, rue Principale" in part
        assert "613 555-0100" in part
        assert "info@csce.example" in part
        assert "http://testserver/" + language + "/preferences/abc/" in part
    assert name in str(make_header(decode_header(message.from_email)))


def test_every_message_carries_the_one_click_unsubscribe_headers(centre):
    message = campaign_message(
        campaign=campaign_create(),
        recipient=_recipient("fr"),
        message_id="<campaign-1.subscriber-2@testserver>",
    )
    headers = message.message()
    assert headers["List-Unsubscribe"] == "<http://testserver/one-click/abc/>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"] == "<campaign-1.subscriber-2@testserver>"


def test_the_list_id_keeps_its_identifier_as_written_beside_an_accented_name(centre, settings):
    """RFC 2919: mail clients and filters read the identifier between the angle brackets;
    only the name before it may be an encoded word (RFC 2047)."""
    settings.SITE_URL = "https://www.csce.example"
    message = campaign_message(campaign=campaign_create(), recipient=_recipient("fr"))
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    raw = " ".join(dict(parsed.raw_items())["List-Id"].split())
    assert raw.endswith(" <newsletter.www.csce.example>")
    assert raw.startswith("=?utf-8?")
    assert str(parsed["List-Id"]) == (
        "Centre de santé communautaire de l'Estrie <newsletter.www.csce.example>"
    )


def test_no_tracking_pixel_and_no_rewritten_link(centre):
    campaign = campaign_create(
        text='<p>Voir <a href="https://www.ontario.ca/sante">le site de la province</a>.</p>'
    )
    message = campaign_message(campaign=campaign, recipient=_recipient("fr"))
    html = message.alternatives[0][0]
    # The editor's link as written, and no image at all in a campaign without one.
    assert 'href="https://www.ontario.ca/sante"' in html
    assert "le site de la province (https://www.ontario.ca/sante)" in message.body
    assert not re.search(r"<img\b", html)
