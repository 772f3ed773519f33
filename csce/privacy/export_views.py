"""The requester's single-use download of their export bundle (policy P9: access).

GET shows a button (a mail scanner that opens links must not spend the download);
POST from our origin streams the zip once and erases it. The page is in the language of
the link, which is the requester's.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from csce.common.http import no_store
from csce.common.spam import same_origin

from .workspace import export_bundle_for_token, export_bundle_take


def export_download(request: HttpRequest, token: str) -> HttpResponse:
    bundle = export_bundle_for_token(token=token)
    status = 200
    state = "ready"
    if bundle is None:
        state, status = "unavailable", 404
    elif request.method == "POST":
        if not same_origin(request):
            state, status = "refused", 403
        else:
            content = export_bundle_take(bundle=bundle)
            if content is None:
                state, status = "unavailable", 404
            else:
                response = HttpResponse(content, content_type="application/zip")
                filename = f"{bundle.request.reference}.zip"
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return no_store(response)
    context = {"state": state, "bundle": bundle}
    response = TemplateResponse(request, "privacy/export_download.html", context, status=status)
    # The address holds the key to the bundle: never kept by a cache.
    no_store(response)
    # Same-origin, not no-referrer: with no-referrer the button's POST carries "Origin: null"
    # and our origin check would refuse it; the address still never leaves the site.
    response["Referrer-Policy"] = "same-origin"
    return response
