import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csce.settings.dev")

django_application = get_wsgi_application()

from csce.analytics.wsgi import BeaconFastPath  # noqa: E402 (needs the apps loaded)

# Page-view beacons are answered before Django's middleware (decision 0013).
application = BeaconFastPath(django_application)
