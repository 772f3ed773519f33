"""The site's URLs plus stand-ins for the subscription pages (written on their own branch),
so that the links of a sent campaign resolve in the sending tests."""

from django.http import HttpResponse
from django.urls import path

from csce.urls import urlpatterns as site_urlpatterns


def _stand_in(request, token):
    return HttpResponse(status=204)


urlpatterns = [
    path("newsletter/confirm/<str:token>/", _stand_in, name="newsletter_confirm"),
    path("newsletter/preferences/<str:token>/", _stand_in, name="newsletter_manage"),
    path("newsletter/one-click/<str:token>/", _stand_in, name="newsletter_one_click"),
    *site_urlpatterns,
]
