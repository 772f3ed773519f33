"""The newsletter's staff screens beyond Wagtail's own list and edit views (policy P3, F).

- a campaign's page: its state, who it reaches, the test to oneself, the progress while
  it is sent and the failures (``subscriber #id``, never an address: policy F);
- the preview: the exact e-mail of both languages, in a sandboxed frame (decision 0006);
- sending: now or at a date, after a confirmation that says how many it reaches;
- the subscribers overview: counts only (policy F: finding one person is the privacy
  portal's work).

None of these screens decrypts a personal value, so none writes to the access log.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from csce.common import policy
from csce.common.admin_views import NoStoreMixin, PermissionRequiredMixin, forbidden
from csce.common.http import no_store
from csce.common.typography import datetime_display
from csce.outbox.delivery import PROVIDER_NOT_DECLARED_TEXT, delivery_held

from . import roles
from .admin_forms import ScheduleConfirmForm, ScheduleForm, TestSendForm
from .composing import (
    campaign_audience,
    campaign_copy,
    campaign_missing_languages,
    campaign_test_send,
    sample_recipient,
)
from .models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    DeliveryState,
    Subscriber,
    SubscriberStatus,
    Suppression,
    Topic,
)
from .rendering import campaign_message
from .sending import (
    CampaignIncomplete,
    CampaignNotEditable,
    campaign_cancel,
    campaign_progress,
    campaign_schedule,
)

VIEW = "newsletter.view_campaign"
CHANGE = "newsletter.change_campaign"
ADD = "newsletter.add_campaign"
SEND = roles.SEND
OVERVIEW = roles.OVERVIEW
LANGUAGES = ("fr", "en")
FAILURES_LISTED = 200
# Seconds between two readings of the progress while a campaign is sent.
PROGRESS_POLL_SECONDS = 5

CAMPAIGN_REASON = _(
    "The newsletter's campaigns are open to Communications, the AED and content creators."
)
SEND_REASON = _(
    "Sending a campaign is reserved to Communications and the AED: it reaches every "
    "subscriber at once and cannot be undone."
)
OVERVIEW_REASON = _("The subscribers overview is open to Communications and the AED.")

# The sandboxed frame of the preview: no script, no form, no request elsewhere; only the
# site's own images and the e-mail's inline styles; framed by the admin only.
EMAIL_PREVIEW_CSP = (
    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def language_label(code: str) -> str:
    return gettext("French") if code == "fr" else gettext("English")


def not_yet_message(code: str) -> str:
    """The preview of a language version still empty."""
    if code == "en":
        return gettext("No English version yet.")
    return gettext("No French version yet.")


def missing_message(missing: list[str]) -> str:
    """Which language version is still empty, in a sentence (policy P2: both required)."""
    if len(missing) > 1:
        return gettext("Both language versions are empty: write them before sending.")
    if missing == ["en"]:
        return gettext("The English version is empty: both languages are required before sending.")
    return gettext("The French version is empty: both languages are required before sending.")


def provider_held_message() -> str:
    """Policy F: why nothing leaves while the e-mail provider is not in the register."""
    return str(PROVIDER_NOT_DECLARED_TEXT) if delivery_held() else ""


class CampaignMixin(PermissionRequiredMixin, NoStoreMixin, WagtailAdminTemplateMixin):
    """A screen of one campaign."""

    permission = VIEW
    forbidden_reason = CAMPAIGN_REASON
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.campaign.title

    def detail_url(self) -> str:
        return reverse("newsletter_campaigns:detail", args=[self.campaign.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("newsletter_campaigns:index"), "label": gettext("Campaigns")},
            {"url": self.detail_url(), "label": self.campaign.title},
            {"url": "", "label": str(self.page_title)},
        ]


def failed_deliveries(campaign: Campaign) -> list[dict]:
    """The failures: the subscriber's number and the error's class, never an address."""
    rows = (
        CampaignDelivery.objects.filter(campaign=campaign, state=DeliveryState.FAILED)
        .order_by("pk")
        .values("subscriber_id", "language", "attempts", "last_error")[:FAILURES_LISTED]
    )
    return [
        {
            "subscriber": (
                gettext("Subscriber #%(id)s") % {"id": row["subscriber_id"]}
                if row["subscriber_id"]
                else gettext("Subscription since deleted")
            ),
            "language": row["language"],
            "attempts": row["attempts"],
            "error": row["last_error"] or "—",
        }
        for row in rows
    ]


def progress_data(campaign: Campaign) -> dict:
    progress = campaign_progress(campaign=campaign)
    return {
        "status": campaign.status,
        "status_label": campaign.get_status_display(),
        "total": progress.total,
        "sent": progress.sent,
        "failed": progress.failed,
        "skipped": progress.skipped,
        "remaining": progress.remaining,
        "finished": campaign.status == CampaignStatus.SENT,
    }


class CampaignDetailView(CampaignMixin, TemplateView):
    """The campaign's page: state, audience, test to oneself, copy, cancel, progress."""

    template_name = "newsletter/admin/campaign_detail.html"
    page_title = _("Campaign")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("newsletter_campaigns:index"), "label": gettext("Campaigns")},
            {"url": "", "label": self.campaign.title},
        ]

    def running(self) -> bool:
        """Whether the numbers may still change (the page then reads them again)."""
        due = (
            self.campaign.status == CampaignStatus.SCHEDULED
            and self.campaign.scheduled_at is not None
            and self.campaign.scheduled_at <= timezone.now()
        )
        return self.campaign.status == CampaignStatus.SENDING or due

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = self.campaign
        started = campaign.status in (CampaignStatus.SENDING, CampaignStatus.SENT)
        missing = self._missing()
        context.update(
            campaign=campaign,
            topics=list(campaign.topics.all()),
            missing=missing_message(missing) if missing else "",
            audience=None if started else campaign_audience(campaign=campaign),
            progress=progress_data(campaign) if started or self.running() else None,
            failures=failed_deliveries(campaign) if started else [],
            running=self.running(),
            poll_seconds=PROGRESS_POLL_SECONDS,
            can_edit=campaign.editable and user.has_perm(CHANGE),
            can_send=campaign.editable and user.has_perm(SEND),
            can_cancel=campaign.status == CampaignStatus.SCHEDULED and user.has_perm(SEND),
            can_test=user.has_perm(CHANGE) or user.has_perm(SEND),
            can_copy=user.has_perm(ADD),
            own_address=bool((user.email or "").strip()),
            held=provider_held_message(),
        )
        context.setdefault("test_form", TestSendForm())
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action == "test":
            return self.test_send()
        if action == "copy":
            if not request.user.has_perm(ADD):
                return forbidden(request, reason=CAMPAIGN_REASON)
            copy = campaign_copy(campaign=self.campaign, actor=request.user)
            messages.success(request, gettext("A new draft was made from this campaign."))
            return redirect("newsletter_campaigns:edit", copy.pk)
        if action == "cancel":
            if not request.user.has_perm(SEND):
                return forbidden(request, reason=SEND_REASON)
            try:
                campaign_cancel(campaign=self.campaign, actor=request.user)
            except CampaignNotEditable:
                messages.error(
                    request, gettext("The sending has started: it can no longer be cancelled.")
                )
            else:
                messages.success(
                    request, gettext("The sending is cancelled: the campaign is a draft again.")
                )
        return redirect(self.detail_url())

    def test_send(self):
        request = self.request
        if not (request.user.has_perm(CHANGE) or request.user.has_perm(SEND)):
            return forbidden(request, reason=CAMPAIGN_REASON)
        form = TestSendForm(request.POST)
        if not form.is_valid():
            response = self.render_to_response(self.get_context_data(test_form=form))
            response.status_code = 400
            return response
        if not (request.user.email or "").strip():
            messages.error(
                request,
                gettext(
                    "Your account has no e-mail address, so no test can be sent. Add one "
                    "in your account settings, then try again."
                ),
            )
            return redirect(self.detail_url())
        missing = self._missing()
        languages = [c for c in form.languages() if c not in missing]
        if not languages:
            messages.error(
                request, gettext("This language version is empty: write it before testing.")
            )
            return redirect(self.detail_url())
        for code in form.languages():
            if code in missing:
                messages.warning(
                    request,
                    gettext("No test of the English version: it is still empty.")
                    if code == "en"
                    else gettext("No test of the French version: it is still empty."),
                )
        count = campaign_test_send(campaign=self.campaign, user=request.user, languages=languages)
        messages.success(
            request,
            ngettext(
                "The test was sent to your own address.",
                "%(count)s tests were sent to your own address, one per language.",
                count,
            )
            % {"count": count},
        )
        return redirect(self.detail_url())

    def _missing(self) -> list[str]:
        return campaign_missing_languages(campaign=self.campaign)


class CampaignPreviewView(CampaignMixin, TemplateView):
    """Both languages as subscribers get them: the headers, the HTML in a sandboxed frame
    and the text part, all from rendering.campaign_message."""

    template_name = "newsletter/admin/campaign_preview.html"
    page_title = _("Preview")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        versions = []
        missing = campaign_missing_languages(campaign=self.campaign)
        for code in LANGUAGES:
            if code in missing:
                # Nothing to show yet: a sentence, not an empty e-mail (policy P2).
                versions.append(
                    {
                        "code": code,
                        "label": language_label(code),
                        "empty": True,
                        "absent": not_yet_message(code),
                    }
                )
                continue
            message = campaign_message(
                campaign=self.campaign,
                recipient=sample_recipient(
                    email=user.email or "personne@example.org",
                    language=code,
                    first_name=user.first_name,
                ),
            )
            versions.append(
                {
                    "code": code,
                    "label": language_label(code),
                    "empty": False,
                    "headers": [
                        (gettext("From"), message.from_email),
                        (gettext("To"), ", ".join(message.to)),
                        (gettext("Subject"), message.subject),
                        ("List-Unsubscribe", message.extra_headers.get("List-Unsubscribe", "")),
                        (
                            "List-Unsubscribe-Post",
                            message.extra_headers.get("List-Unsubscribe-Post", ""),
                        ),
                    ],
                    "text": message.body,
                    "frame_url": reverse(
                        "newsletter_campaigns:email", args=[self.campaign.pk, code]
                    ),
                }
            )
        context.update(campaign=self.campaign, versions=versions)
        return context


def campaign_email_view(request, pk: int, language: str):
    """The HTML part alone, for the preview's frame: sandboxed, framed by the admin only
    (its own X-Frame-Options and Content-Security-Policy, which the middleware keeps)."""
    if not request.user.has_perm(VIEW):
        return forbidden(request, reason=CAMPAIGN_REASON)
    if language not in LANGUAGES:
        raise Http404
    campaign = get_object_or_404(Campaign, pk=pk)
    if language in campaign_missing_languages(campaign=campaign):
        markup = f"<!doctype html><p>{escape(not_yet_message(language))}</p>"
        response = HttpResponse(markup, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = EMAIL_PREVIEW_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
        return no_store(response)
    message = campaign_message(
        campaign=campaign,
        recipient=sample_recipient(
            email=request.user.email or "personne@example.org",
            language=language,
            first_name=request.user.first_name,
        ),
    )
    markup = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    response = HttpResponse(markup, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = EMAIL_PREVIEW_CSP
    response["X-Frame-Options"] = "SAMEORIGIN"
    return no_store(response)


def campaign_progress_view(request, pk: int):
    """The numbers of the campaign's page, read again by its script while it is sent."""
    if not request.user.has_perm(VIEW):
        return forbidden(request, reason=CAMPAIGN_REASON)
    campaign = get_object_or_404(Campaign, pk=pk)
    return no_store(JsonResponse(progress_data(campaign)))


class CampaignScheduleView(CampaignMixin, TemplateView):
    """Send now or at a date: a choice, then a confirmation stating whom it reaches."""

    template_name = "newsletter/admin/campaign_schedule.html"
    permission = SEND
    forbidden_reason = SEND_REASON
    page_title = _("Send")

    def refusal(self) -> str:
        if not self.campaign.editable:
            return gettext("This campaign has been sent or is being sent: it cannot be sent again.")
        missing = campaign_missing_languages(campaign=self.campaign)
        return missing_message(missing) if missing else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audience = campaign_audience(campaign=self.campaign)
        context.update(
            campaign=self.campaign,
            refusal=self.refusal(),
            audience=audience,
            audience_languages=[
                {"label": language_label(code), "count": count}
                for code, count in audience.by_language.items()
            ],
            topics=list(self.campaign.topics.all()),
            held=provider_held_message(),
        )
        if "form" not in context:
            initial = {}
            if self.campaign.status == CampaignStatus.SCHEDULED and self.campaign.scheduled_at:
                initial = {
                    "when": ScheduleForm.LATER,
                    "at": timezone.localtime(self.campaign.scheduled_at),
                }
            context["form"] = ScheduleForm(initial=initial)
        return context

    def post(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            return self.render(status=400)
        if request.POST.get("step") == "confirm":
            form = ScheduleConfirmForm(request.POST)
            if not form.is_valid():
                if set(form.errors) - {"confirm"}:
                    # The date went by meanwhile, or was changed: choose again.
                    return self.render(form=ScheduleForm(request.POST), status=400)
                return self.confirmation(form, status=400)
            at = form.cleaned_data["at"]
            try:
                campaign_schedule(campaign=self.campaign, at=at, actor=request.user)
            except CampaignNotEditable:
                messages.error(request, gettext("This campaign can no longer be sent."))
                return redirect(self.detail_url())
            except CampaignIncomplete:
                # Emptied in another tab since the page was shown.
                return self.render(status=400)
            messages.success(
                request,
                gettext("The campaign is scheduled for %(when)s.") % {"when": datetime_display(at)}
                if at
                else gettext("The sending has begun."),
            )
            return redirect(self.detail_url())
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            return self.render(form=form, status=400)
        return self.confirmation(ScheduleConfirmForm(initial=form.cleaned_data))

    def confirmation(self, confirm_form, *, status: int = 200):
        """The second step: whom it reaches, and the choice carried in hidden fields."""
        data = confirm_form.cleaned_data if confirm_form.is_bound else confirm_form.initial
        at = data.get("at")
        return self.render(
            confirm_form=confirm_form,
            when=ScheduleForm.LATER if at else ScheduleForm.NOW,
            at=at,
            at_value=timezone.localtime(at).replace(tzinfo=None).isoformat(timespec="minutes")
            if at
            else "",
            status=status,
        )

    def render(self, *, status: int = 200, **context):
        response = self.render_to_response(self.get_context_data(**context))
        response.status_code = status
        return response


class SubscribersOverviewView(
    PermissionRequiredMixin, NoStoreMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Counts only (policy F): no address is listed, and none is decrypted."""

    template_name = "newsletter/admin/subscribers.html"
    permission = OVERVIEW
    forbidden_reason = OVERVIEW_REASON
    page_title = _("Subscribers")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmed = Q(status=SubscriberStatus.CONFIRMED)
        pending = Q(status=SubscriberStatus.PENDING)
        by_language = {
            row["language"]: row
            for row in Subscriber.objects.order_by()
            .values("language")
            .annotate(confirmed=Count("pk", filter=confirmed), pending=Count("pk", filter=pending))
        }
        topics = Topic.objects.annotate(
            confirmed=Count("subscribers", filter=Q(subscribers__status=SubscriberStatus.CONFIRMED))
        ).order_by("sort_order", "pk")
        expired_before = timezone.now() - datetime.timedelta(
            days=policy.NEWSLETTER_UNCONFIRMED_DAYS
        )
        totals = Subscriber.objects.aggregate(
            confirmed=Count("pk", filter=confirmed), pending=Count("pk", filter=pending)
        )
        context.update(
            totals=totals,
            languages=[
                {
                    "label": language_label(code),
                    "confirmed": by_language.get(code, {}).get("confirmed", 0),
                    "pending": by_language.get(code, {}).get("pending", 0),
                }
                for code in LANGUAGES
            ],
            topics=topics,
            no_topic=Subscriber.objects.filter(confirmed, topics__isnull=True).count(),
            suppressed=Suppression.objects.count(),
            expired=Subscriber.objects.filter(pending, created_at__lt=expired_before).count(),
            unconfirmed_days=policy.NEWSLETTER_UNCONFIRMED_DAYS,
        )
        return context
