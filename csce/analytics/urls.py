from django.urls import path

from .collection import BEACON_PATH
from .views import beacon

urlpatterns = [path(BEACON_PATH.lstrip("/"), beacon, name="analytics_beacon")]
