"""The "Newsletter" admin menu: campaigns, topics and the subscribers overview (policy P3).

Campaigns and topics are Wagtail model viewsets, so staff compose in the editor they know
(a French tab and an English tab: policy P2); a campaign that started is read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from csce.common.typography import short_datetime_display

from . import admin_views
from .composing import campaign_missing_languages
from .models import Campaign, CampaignStatus, DeliveryState, Topic


class CampaignStatusColumn(Column):
    """The state in words, with when it was scheduled or finished."""

    def get_value(self, instance):
        status = instance.get_status_display()
        if instance.status == CampaignStatus.SCHEDULED and instance.scheduled_at:
            return gettext("%(status)s for %(when)s") % {
                "status": status,
                "when": short_datetime_display(instance.scheduled_at),
            }
        if instance.status == CampaignStatus.SENT and instance.finished_at:
            return gettext("%(status)s on %(when)s") % {
                "status": status,
                "when": short_datetime_display(instance.finished_at),
            }
        return status


class CampaignProgressColumn(Column):
    def get_value(self, instance):
        if not instance.delivery_total:
            return "—"
        return gettext("%(sent)s sent of %(total)s") % {
            "sent": instance.delivery_sent,
            "total": instance.delivery_total,
        }


class CampaignLanguagesColumn(Column):
    """Which language versions are written (policy P2: both before sending)."""

    def get_value(self, instance):
        missing = campaign_missing_languages(campaign=instance)
        if not missing:
            return gettext("French and English ready")
        if missing == ["en"]:
            return gettext("French ready, English to write")
        if missing == ["fr"]:
            return gettext("English ready, French to write")
        return gettext("Neither written yet")


class CampaignForm(WagtailAdminModelForm):
    """A draft may hold one language only; a scheduled campaign keeps both (policy P2)."""

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.status == CampaignStatus.SCHEDULED:
            empty = [
                name
                for name in ("subject", "subject_en")
                if name in data and not (data.get(name) or "").strip()
            ] + [name for name in ("body", "body_en") if name in data and not len(data[name])]
            for name in empty:
                self.add_error(
                    name,
                    _(
                        "This campaign is scheduled: both languages must stay written. "
                        "Cancel the schedule to keep a draft in one language."
                    ),
                )
        return data


class CampaignIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                delivery_total=Count("deliveries"),
                delivery_sent=Count("deliveries", filter=Q(deliveries__state=DeliveryState.SENT)),
            )
        )


class CampaignCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def get_success_url(self):
        return reverse("newsletter_campaigns:detail", args=[self.object.pk])


class StartedCampaignReadOnlyMixin:
    """A campaign that started (or was sent) is the record of what subscribers got: it is
    not changed nor deleted afterwards (policy P3; CASL s.13 proof of what was sent)."""

    refused_message = _("This campaign has started: it can no longer be changed.")

    def dispatch(self, request, *args, **kwargs):
        campaign = Campaign.objects.filter(pk=kwargs.get("pk")).only("status").first()
        if campaign is not None and not campaign.editable:
            messages.error(request, str(self.refused_message))
            return redirect("newsletter_campaigns:detail", campaign.pk)
        return super().dispatch(request, *args, **kwargs)


class CampaignEditView(StartedCampaignReadOnlyMixin, EditView):
    def get_success_url(self):
        return reverse("newsletter_campaigns:detail", args=[self.object.pk])

    def save_instance(self):
        # The campaign may have started since the form was shown: the change is refused
        # then, rather than altering what subscribers are getting.
        if not Campaign.objects.filter(
            pk=self.object.pk, status__in=[CampaignStatus.DRAFT, CampaignStatus.SCHEDULED]
        ).exists():
            raise CampaignStartedMeanwhile
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except CampaignStartedMeanwhile:
            messages.error(self.request, str(self.refused_message))
            return redirect("newsletter_campaigns:detail", self.object.pk)


class CampaignStartedMeanwhile(Exception):
    pass


class CampaignDeleteView(StartedCampaignReadOnlyMixin, DeleteView):
    refused_message = _("This campaign has started: it is kept as the record of what was sent.")


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "mail"
    menu_label = _("Campaigns")
    name = "newsletter_campaigns"
    url_prefix = "newsletter/campaigns"
    copy_view_enabled = False
    index_view_class = CampaignIndexView
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    delete_view_class = CampaignDeleteView
    list_filter = ["status"]
    search_fields = ["title", "subject", "subject_en"]

    @property
    def list_display(self):
        return [
            TitleColumn(
                "title",
                label=_("Internal name"),
                get_url=lambda obj: reverse("newsletter_campaigns:detail", args=[obj.pk]),
            ),
            CampaignStatusColumn("status", label=_("Status")),
            CampaignLanguagesColumn("languages", label=_("Languages")),
            CampaignProgressColumn("progress", label=_("Progress")),
            Column(
                "updated_at",
                label=_("Updated"),
                accessor=lambda obj: short_datetime_display(obj.updated_at),
            ),
        ]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Campaign"),
            ),
            ObjectList([FieldPanel("subject"), FieldPanel("body")], heading=_("French")),
            ObjectList([FieldPanel("subject_en"), FieldPanel("body_en")], heading=_("English")),
        ],
        base_form_class=CampaignForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", admin_views.CampaignDetailView.as_view(), name="detail"),
            path("<int:pk>/preview/", admin_views.CampaignPreviewView.as_view(), name="preview"),
            path(
                "<int:pk>/preview/<str:language>/",
                admin_views.campaign_email_view,
                name="email",
            ),
            path("<int:pk>/send/", admin_views.CampaignScheduleView.as_view(), name="schedule"),
            path("<int:pk>/progress/", admin_views.campaign_progress_view, name="progress"),
        ]


class TopicViewSet(ModelViewSet):
    """Topics are retired by unticking "offered", never deleted (csce/newsletter/roles.py)."""

    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    name = "newsletter_topics"
    url_prefix = "newsletter/topics"
    copy_view_enabled = False
    list_display = [
        TitleColumn("name", label=_("Name in French"), url_name="newsletter_topics:edit"),
        "name_en",
        "sort_order",
        Column(
            "active",
            label=_("Offered"),
            accessor=lambda obj: gettext("Yes") if obj.active else gettext("No"),
        ),
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("key"),
        FieldPanel("sort_order"),
        FieldPanel("active"),
    ]


class SubscribersMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.OVERVIEW)


class SubscribersViewSet(ViewSet):
    """Counts of the subscribers: no list of addresses (policy F)."""

    name = "newsletter_subscribers"
    url_prefix = "newsletter/subscribers"
    icon = "group"
    menu_label = _("Subscribers")

    def get_urlpatterns(self):
        return [path("", admin_views.SubscribersOverviewView.as_view(), name="index")]

    @property
    def menu_url(self):
        return reverse("newsletter_subscribers:index")

    def get_menu_item(self, order=None):
        return SubscribersMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order if order is not None else self.menu_order,
        )


class NewsletterViewSetGroup(ViewSetGroup):
    menu_label = _("Newsletter")
    menu_icon = "mail"
    menu_order = 280
    items = (CampaignViewSet, TopicViewSet, SubscribersViewSet)
