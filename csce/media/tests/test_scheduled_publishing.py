"""Scheduled publishing that runs (policy C): the scheduler publishes a page at the first
tick after its go-live time; a page the media gate refuses stays scheduled, its owner and
the AED are told once, in their language, and it goes live at the first tick after the
fix."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Revision

from csce.common import roles
from csce.common.schedule import JobSchedule, job_schedule
from csce.media.factories import image_add, image_block
from csce.media.models import Licence
from csce.media.notices import SCHEDULED_REFUSED_ACTION
from csce.media.services import media_rights_set
from csce.pages.models import StandardPage

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
GO_LIVE = datetime.datetime(2027, 5, 20, 9, 0, tzinfo=TORONTO)


@pytest.fixture(autouse=True)
def only_publishing(monkeypatch):
    """The scheduler with the job the media app registered, and not the daily jobs (they
    print, write files and disable the test's staff, months ahead)."""
    schedule = JobSchedule()
    schedule.register(job_schedule.get("publish_scheduled"))
    monkeypatch.setattr("csce.retention.scheduling.job_schedule", schedule)
    monkeypatch.setattr(
        "csce.retention.management.commands.run_scheduled_jobs.job_schedule", schedule
    )


def _tick(when: datetime.datetime) -> None:
    """One run of the real scheduler command (the run-once path a timer calls)."""
    with time_machine.travel(when, tick=False):
        call_command("run_scheduled_jobs", stdout=io.StringIO(), stderr=io.StringIO())


def _schedule(site_home, *, title: str, slug: str, image, owner=None) -> Page:
    with time_machine.travel(datetime.datetime(2027, 5, 1, 9, 0, tzinfo=TORONTO), tick=False):
        page = site_home.add_child(
            instance=StandardPage(
                title=title,
                slug=slug,
                live=False,
                owner=owner,
                go_live_at=GO_LIVE,
                body=[image_block(image, alt_text="Texte")],
            )
        )
        page.save_revision().publish()  # scheduled, not live
    assert not _live(page)
    return page


def _uncredit(image) -> None:
    """The rights record loses its credit and licence after the page was scheduled."""
    media_rights_set(media=image, credit="", licence="")


def _live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


def test_the_scheduler_publishes_a_page_at_the_first_tick_after_its_time(site_home):
    page = _schedule(site_home, title="Fermeture", slug="fermeture", image=image_add(title="Logo"))
    _tick(GO_LIVE - datetime.timedelta(minutes=1))
    assert not _live(page)
    _tick(GO_LIVE + datetime.timedelta(minutes=4))
    assert _live(page)
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()


def test_a_refused_page_is_told_once_in_each_language_and_goes_live_once_fixed(
    site_home, staff_user_make
):
    owner = staff_user_make(role=roles.CONTENT, language="en")
    aed = staff_user_make(role=roles.AED, language="fr")
    poster = image_add(title="Affiche du festival")
    page = _schedule(site_home, title="Festival", slug="festival", image=poster, owner=owner)
    _uncredit(poster)
    fine = _schedule(site_home, title="Partenaires", slug="partenaires", image=image_add())

    _tick(GO_LIVE + datetime.timedelta(minutes=2))
    assert not _live(page)
    assert _live(fine)  # the others are not held up
    assert Revision.objects.filter(object_id=str(page.pk), approved_go_live_at=GO_LIVE).exists()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {owner.email, aed.email}
    english, french = by_address[owner.email], by_address[aed.email]
    assert english.subject == "Not published at its scheduled time: “Festival”"
    assert "The image “Affiche du festival” has no credit or no licence." in english.body
    assert f"/admin/pages/{page.pk}/edit/" in english.body
    assert f"/admin/images/{poster.pk}/" in english.body
    assert "content owner" in english.body
    assert french.subject == "Non publiée à l’heure prévue\u00a0: «\u00a0Festival\u00a0»"
    assert (
        "L’image «\u00a0Affiche du festival\u00a0» n’a pas de crédit ou pas de licence."
        in french.body
    )
    assert f"/admin/pages/{page.pk}/edit/" in french.body

    # Later ticks retry it quietly: nobody is told twice, the history holds one line.
    _tick(GO_LIVE + datetime.timedelta(minutes=7))
    _tick(GO_LIVE + datetime.timedelta(hours=3))
    assert len(mail.outbox) == 2
    assert PageLogEntry.objects.filter(page=page, action=SCHEDULED_REFUSED_ACTION).count() == 1
    assert not _live(page)

    media_rights_set(media=poster, credit="Photo : CSCE", licence=Licence.OWN)
    _tick(GO_LIVE + datetime.timedelta(hours=3, minutes=5))
    assert _live(page)
    assert len(mail.outbox) == 2


def test_a_disabled_owner_is_not_written_to_and_the_aed_still_is(site_home, staff_user_make):
    owner = staff_user_make(role=roles.CONTENT)
    owner.is_active = False
    owner.save()
    aed = staff_user_make(role=roles.AED)
    poster = image_add(title="Affiche")
    page = _schedule(site_home, title="Atelier", slug="atelier", image=poster, owner=owner)
    _uncredit(poster)
    _tick(GO_LIVE + datetime.timedelta(minutes=1))
    assert [message.to for message in mail.outbox] == [[aed.email]]
    assert not _live(page)


def test_a_notice_that_fails_does_not_stop_the_others_and_is_sent_at_the_next_tick(
    site_home, staff_user_make, monkeypatch
):
    aed = staff_user_make(role=roles.AED)
    poster = image_add(title="Affiche")
    refused = _schedule(site_home, title="Atelier", slug="atelier", image=poster)
    fine = _schedule(site_home, title="Horaire", slug="horaire", image=image_add())
    _uncredit(poster)

    def broken(*args, **kwargs):
        raise ConnectionError("outbox unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", broken)
        _tick(GO_LIVE + datetime.timedelta(minutes=1))
    assert _live(fine)
    assert not _live(refused)
    # Nothing half-written: no history line without the e-mails.
    assert not PageLogEntry.objects.filter(action=SCHEDULED_REFUSED_ACTION).exists()

    _tick(GO_LIVE + datetime.timedelta(minutes=6))
    assert [message.to for message in mail.outbox] == [[aed.email]]
    assert PageLogEntry.objects.filter(page=refused, action=SCHEDULED_REFUSED_ACTION).count() == 1
