"""A refused publication in the admin reads as a message, not an error page (policy C).

The gate (publication.py) raises from inside Wagtail's views: the editor's Publish (after
the draft is saved, so the work is kept), the approval of a workflow task (whose
transaction is rolled back, so the task stays waiting), a translation's Publish. This
turns the refusal into the page's edit view with the list of media to fix; the workflow
modal, which posts in the background, is told where to go.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from .publication import MediaPublicationRefused, publication_refusal_html


class PublicationRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MediaPublicationRefused):
            return None
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None  # no admin session to show it in: the 403 stands (fail closed)
        messages.error(request, publication_refusal_html(problems=exception.problems))
        url = reverse("wagtailadmin_pages:edit", args=[exception.page.pk])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return JsonResponse({"step": "success", "redirect": url})
        return HttpResponseRedirect(url)
