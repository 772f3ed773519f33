"""(being written: the report form)"""

from django.http import HttpResponse
from django.urls import path


def _report(request):
    return HttpResponse("")


urlpatterns: list = [path("", _report, name="report")]
