"""Public addresses of the newsletter (under the language prefix, translated paths)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(_("newsletter/"), views.subscribe, name="newsletter_subscribe"),
    path(_("newsletter/confirm/<str:token>/"), views.confirm, name="newsletter_confirm"),
    path(_("newsletter/preferences/<str:token>/"), views.manage, name="newsletter_manage"),
    path(
        _("newsletter/unsubscribe/<str:token>/"),
        views.one_click,
        name="newsletter_one_click",
    ),
]
