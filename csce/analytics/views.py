"""The beacon endpoint (policy P4, P5).

Most beacons never reach this view: ``csce.analytics.wsgi.BeaconFastPath`` answers them
before Django's middleware (decision 0013). This view answers the rest — a browser that
carries a session cookie (staff, who are not counted) and the development server.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .collection import (
    MAX_BODY_BYTES,
    REFUSED_INVALID,
    REFUSED_ORIGIN,
    REFUSED_RATE,
    UNAVAILABLE,
    beacon_receive,
)


def beacon_response(outcome: str) -> HttpResponse:
    """204 whether counted or not (a visitor learns nothing from it); 400 or 403 when the
    request is not a beacon from our pages; 429 past the address's rate; 503 when the
    database cannot be read."""
    statuses = {REFUSED_INVALID: 400, REFUSED_ORIGIN: 403, REFUSED_RATE: 429, UNAVAILABLE: 503}
    status = statuses.get(outcome, 204)
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # no cookie for visitors (decision 0010); beacon_receive checks the origin
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if not 0 <= length <= MAX_BODY_BYTES:
        return beacon_response(REFUSED_INVALID)
    return beacon_response(beacon_receive(request, request.body))
