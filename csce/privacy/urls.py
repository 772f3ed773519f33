"""Public addresses of the privacy app outside the page tree (under the language prefix)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .export_views import export_download

urlpatterns = [
    path(
        "privacy/export/<str:token>/",
        # No CSRF cookie for visitors (decision 0010): the view checks the origin itself.
        csrf_exempt(require_http_methods(["GET", "HEAD", "POST"])(export_download)),
        name="privacy_export_download",
    ),
]
