"""Page types, the centre's settings and their rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from csce.pages.factories import page_add
from csce.pages.models import (
    CentreSettings,
    ContactPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    OpeningHours,
    PrivacyNoticePage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)
from csce.pages.validators import contrast_ratio, validate_accessible_colour


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#00607a", "#8c3b00", "#000000", "#767676"])
def test_colours_readable_on_white_are_accepted(colour):
    validate_accessible_colour(colour)


@pytest.mark.parametrize("colour", ["#777777", "#ffcc00", "#ffffff"])
def test_colours_too_light_for_text_are_refused(colour):
    with translation.override("en"), pytest.raises(ValidationError, match="too light"):
        validate_accessible_colour(colour)


@pytest.mark.parametrize("colour", ["00607a", "#00607", "#00607g", "red", "", "#00607a;}body{"])
def test_colours_that_are_not_hex_are_refused(colour):
    with pytest.raises(ValidationError):
        validate_accessible_colour(colour)


def test_the_colour_message_is_translated():
    # Read inside the override: the message is lazy, and an earlier English request on
    # this thread may have left English active.
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            validate_accessible_colour("#ffcc00")
        message = error.value.messages[0]
    assert "trop pâle" in message


@pytest.mark.django_db
def test_closing_time_must_follow_opening_time(site_home):
    centre = CentreSettings.for_site(site_home.get_site())
    hours = OpeningHours(
        settings=centre, weekday=0, opens=datetime.time(17), closes=datetime.time(9)
    )
    with pytest.raises(ValidationError):
        hours.clean()


@pytest.mark.django_db
def test_centre_name_follows_the_language(site_home):
    centre = CentreSettings.for_site(site_home.get_site())
    centre.name_en = "Estrie Community Health Centre"
    with translation.override("en"):
        assert centre.localized_name() == "Estrie Community Health Centre"
    with translation.override("fr"):
        assert centre.localized_name() == centre.name
    centre.name_en = ""
    with translation.override("en"):
        assert centre.localized_name() == centre.name


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (ServicePage, ServiceIndexPage, True),
        (ServicePage, HomePage, False),
        (NewsPage, NewsIndexPage, True),
        (NewsPage, ServiceIndexPage, False),
        (PrivacyNoticePage, HomePage, True),
        (PrivacyNoticePage, StandardPage, False),
        (ContactPage, HomePage, True),
        (StandardPage, HomePage, True),
    ],
)
def test_page_types_go_where_the_site_structure_expects(child, parent, allowed):
    assert (parent in child.allowed_parent_page_models()) is allowed


@pytest.mark.django_db
def test_one_privacy_notice_and_one_contact_page_per_home(site_home):
    home = site_home
    assert PrivacyNoticePage.can_create_at(home)
    assert ContactPage.can_create_at(home)
    page_add(PrivacyNoticePage, parent=home, title="Avis de confidentialité")
    page_add(ContactPage, parent=home, title="Nous joindre")
    assert not PrivacyNoticePage.can_create_at(home)
    assert not ContactPage.can_create_at(home)
    assert StandardPage.can_create_at(home)
