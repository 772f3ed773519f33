"""Wagtail's ``publish_scheduled``, where a publication the media gate refuses (policy C,
P2) waits instead of stopping the run.

Wagtail's loop publishes each due revision in turn; the gate (csce/media/publication.py)
raising there would leave every later page unpublished. Here each due revision is
published on its own: a refused one stays scheduled (it goes live at the first run after
its media are fixed), and the others go live. The first refusal of a revision is logged
by page id, written to the page's history and told to its owner and the AED by e-mail
(csce/media/notices.py); the later runs retry it quietly.

The scheduler runs it at every tick (``every_tick`` in csce/common/schedule.py, one node
at a time); run by hand or on two nodes anyway, it is idempotent: a revision published is
no longer due, and a refusal is told once.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import DraftStateMixin, Page, Revision

from csce.media.notices import scheduled_refusal_notify
from csce.media.publication import MediaPublicationRefused

logger = logging.getLogger(__name__)


class Command(WagtailCommand):
    help = "Publish what is scheduled and due, unpublish what expired (policy C gate)."

    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)  # changes nothing
        now = timezone.now()
        models = [Page] + [
            model
            for model in apps.get_models()
            if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
        ]
        for model in models:
            for obj in list(
                model.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")
            ):
                obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")

        refused = told = 0
        due = Revision.objects.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at")
        for revision in list(due):
            try:
                with transaction.atomic():
                    revision.publish(log_action="wagtail.publish.scheduled")
            except MediaPublicationRefused as refusal:
                refused += 1
                try:
                    newly = scheduled_refusal_notify(revision=revision)
                except Exception as exc:  # the other pages still go live
                    # Nothing was written: the next tick tells them. The class name only.
                    logger.error(
                        "scheduled publication of page %s refused, not told: %s",
                        refusal.page.pk,
                        type(exc).__name__,
                    )
                    continue
                if newly:
                    told += 1
                    # Once per revision: page id and count only (no title, policy M).
                    logger.warning(
                        "scheduled publication of page %s refused: %d media problem(s)",
                        refusal.page.pk,
                        len(refusal.problems),
                    )
        # Every tick retries the refused ones; only a new refusal is worth a line.
        if told or (refused and int(options["verbosity"]) > 1):
            self.stderr.write(
                f"{refused} scheduled publication(s) refused until their media are fixed; "
                f"{told} newly told to their owner and the AED."
            )
