"""(being written: the register's list and incident pages)"""

from django.http import HttpResponse
from django.urls import path


def _index(request):
    return HttpResponse("")


urlpatterns: list = [path("", _index, name="index")]
