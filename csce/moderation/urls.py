"""Public addresses of user conduct (under the language prefix, translated paths)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(_("report-a-concern/"), views.report, name="moderation_report"),
    path(_("comments/<int:page_id>/"), views.comment, name="moderation_comment"),
]
