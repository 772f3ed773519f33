"""The registry's admin views (policy O, R, M): the viewset's create and edit views save
the administrators through the service that logs each change, and the access review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import ListingButton

from .forms import AccessReviewForm
from .models import OnlineProperty
from .services import (
    property_access_review_record,
    property_administrators_set,
    property_default_owner,
    property_schedule_first_review,
)

CHANGE_PERMISSION = "properties.change_onlineproperty"


class AdministratorsSavedMixin:
    def save_instance(self):
        property_schedule_first_review(online_property=self.form.instance)
        instance = super().save_instance()
        property_administrators_set(
            online_property=instance,
            users=self.form.cleaned_data.get("administrators") or [],
            actor=self.request.user,
        )
        return instance


class OnlinePropertyCreateView(AdministratorsSavedMixin, CreateView):
    def get_initial(self):
        # Policy O: the AED owns the centre's properties unless another is named.
        initial = super().get_initial()
        owner = property_default_owner()
        if owner is not None:
            initial["owner"] = owner.pk
        return initial


class OnlinePropertyEditView(AdministratorsSavedMixin, EditView):
    pass


class OnlinePropertyIndexView(IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if self.request.user.has_perm(CHANGE_PERMISSION):
            buttons.insert(
                0,
                ListingButton(
                    gettext("Record an access review"),
                    url=reverse("properties_review", args=[instance.pk]),
                    icon_name="tasks",
                    attrs={"aria-label": gettext("Record an access review of %s") % instance},
                    priority=5,
                ),
            )
        return buttons


class OnlinePropertyInspectView(InspectView):
    """A property's page in words and dates in the reader's language, never a raw True,
    False or None (policy P2)."""

    def get_mfa_enabled_display_value(self):
        return self.object.mfa_status

    def get_last_review_on_display_value(self):
        day = self.object.last_review_on
        return date_format(day, "DATE_FORMAT") if day else gettext("Never")

    def get_next_review_due_display_value(self):
        return self.object.review_status

    def get_shown_in_footer_display_value(self):
        return self.object.footer_status

    def get_owner_display_value(self):
        owner = self.object.owner
        return (owner.get_full_name().strip() or owner.get_username()) if owner else "—"

    def get_handle_display_value(self):
        return self.object.handle or "—"


class AccessReviewView(WagtailAdminTemplateMixin, TemplateView):
    """The AED confirms who administers a property today (policy R): the review's date is
    set and the next falls a quarter later; the history keeps who was confirmed."""

    template_name = "properties/admin/review.html"
    page_title = _("Record an access review")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        self.online_property = get_object_or_404(OnlineProperty, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.online_property)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("properties:index"), "label": gettext("Online properties")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.online_property
        context["administrators"] = self.online_property.administrator_links.select_related(
            "user", "added_by"
        )
        context.setdefault("form", AccessReviewForm())
        return context

    def post(self, request, *args, **kwargs):
        form = AccessReviewForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        reviewed = property_access_review_record(
            online_property=self.online_property,
            actor=request.user,
            mfa_confirmed=form.cleaned_data["mfa_confirmed"],
        )
        messages.success(
            request,
            gettext("Access review of %(property)s recorded; the next is due %(date)s.")
            % {"property": reviewed, "date": reviewed.review_status},
        )
        return redirect("properties:index")
