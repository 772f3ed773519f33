"""Incidents that named their property in free text are linked to the registry's entry
(policy O): by name, handle or address, without case or accents; ambiguous or unknown
texts stay unlinked. The migration's function and the link on a property's save."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from csce.common.roles import AED, CONTENT
from csce.incidents.factories import incident_create
from csce.incidents.models import Incident
from csce.incidents.property_links import property_match
from csce.incidents.services import incidents_link_to_registry
from csce.properties.factories import online_property_create
from csce.properties.models import OnlineProperty, PropertyKind

MIGRATION = import_module("csce.incidents.migrations.0003_incident_online_property")


def _registry_objects():
    return {
        "site": OnlineProperty(
            pk=1,
            kind=PropertyKind.WEBSITE,
            name="Site web du Centre",
            handle="",
            url="https://www.csce.example.org/",
        ),
        "facebook": OnlineProperty(
            pk=2,
            kind=PropertyKind.FACEBOOK,
            name="Facebook du Centre",
            handle="csce.exemple",
            url="https://www.facebook.com/csce.exemple",
        ),
        "instagram": OnlineProperty(
            pk=3,
            kind=PropertyKind.INSTAGRAM,
            name="Instagram Santé",
            handle="@csce_sante",
            url="https://www.instagram.com/csce_sante/",
        ),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("facebook du centre", 2),
        ("  FACEBOOK DU  CENTRE ", 2),
        ("Instagram sante", 3),
        ("@CSCE_SANTE", 3),
        ("csce_sante", 3),
        ("https://instagram.com/csce_sante", 3),
        ("www.facebook.com/csce.exemple/", 2),
        ("csce.example.org", 1),
        ("https://csce.example.org/fr/contact/", 1),
        ("facebook.com", None),  # the network's host alone names no account of ours
        ("Notre page Facebook", None),
        ("", None),
    ],
)
def test_a_free_text_names_one_property(text, expected):
    assert property_match(text, _registry_objects().values()) == expected


def test_a_text_that_names_two_properties_stays_unlinked():
    registry = _registry_objects()
    registry["facebook"].handle = "csce_sante"
    assert property_match("csce_sante", registry.values()) is None


@pytest.mark.django_db
def test_the_migration_links_the_incidents_that_match():
    facebook = online_property_create(
        kind=PropertyKind.FACEBOOK, name="Facebook du Centre", handle="csce.exemple"
    )
    matched = incident_create(property_name="facebook du centre")
    by_handle = incident_create(property_name="@csce.exemple")
    unknown = incident_create(property_name="Le site de la ville")
    blank = incident_create(property_name="")
    Incident.objects.update(online_property=None)
    MIGRATION.incidents_link(apps, None)
    linked = dict(Incident.objects.values_list("pk", "online_property_id"))
    assert linked[matched.pk] == facebook.pk
    assert linked[by_handle.pk] == facebook.pk
    assert linked[unknown.pk] is None
    assert linked[blank.pk] is None
    # The free text is kept as the reporter wrote it.
    assert Incident.objects.get(pk=matched.pk).property_name == "facebook du centre"


@pytest.mark.django_db(transaction=True)
def test_registering_a_property_links_the_earlier_incidents():
    incident = incident_create(property_name="Chaîne YouTube")
    with transaction.atomic():
        prop = online_property_create(kind=PropertyKind.YOUTUBE, name="chaine youtube")
    incident.refresh_from_db()
    assert incident.online_property_id == prop.pk
    assert incidents_link_to_registry() == 0  # nothing left to link


# --- the report form offers the registry ------------------------------------------------

REPORT = "incident_report:report"


def _report(**fields) -> dict:
    return {"kind": "security", "description": "Mot de passe partagé par courriel.", **fields}


@pytest.mark.django_db
def test_the_report_form_offers_the_registry_other_and_none(client, staff_login):
    staff_login(role=CONTENT)
    prop = online_property_create(kind=PropertyKind.INSTAGRAM, name="Instagram du Centre")
    html = client.get(reverse(REPORT)).content.decode()
    assert f'<option value="{prop.pk}">Instagram du Centre</option>' in html
    assert 'value="other"' in html


@pytest.mark.django_db
def test_a_report_about_a_registered_property_links_it_and_keeps_its_name(client, staff_login):
    staff_login(role=CONTENT)
    prop = online_property_create(kind=PropertyKind.INSTAGRAM, name="Instagram du Centre")
    assert client.post(reverse(REPORT), _report(online_property=str(prop.pk))).status_code == 302
    incident = Incident.objects.get()
    assert incident.online_property == prop
    assert incident.property_name == "Instagram du Centre"
    # Deleting the property keeps the incident and the name it had.
    prop.delete()
    incident.refresh_from_db()
    assert incident.online_property is None
    assert incident.property_name == "Instagram du Centre"


@pytest.mark.django_db
def test_another_property_needs_its_name(client, staff_login):
    staff_login(role=CONTENT)
    response = client.post(reverse(REPORT), _report(online_property="other"))
    assert response.status_code == 400
    assert not Incident.objects.exists()
    response = client.post(
        reverse(REPORT), _report(online_property="other", property_name="Le TikTok du camp")
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.online_property is None
    assert incident.property_name == "Le TikTok du camp"


@pytest.mark.django_db
def test_an_unknown_choice_is_refused(client, staff_login):
    staff_login(role=CONTENT)
    assert client.post(reverse(REPORT), _report(online_property="99999")).status_code == 400
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_the_register_shows_the_linked_property(client, staff_login):
    staff_login(role=AED)
    prop = online_property_create(kind=PropertyKind.FACEBOOK, name="Facebook du Centre")
    incident = incident_create(property_name="")
    Incident.objects.filter(pk=incident.pk).update(online_property=prop)
    assert "Facebook du Centre" in client.get(reverse("incidents:index")).content.decode()
    detail = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Facebook du Centre (Facebook)" in detail
