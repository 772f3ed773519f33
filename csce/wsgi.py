import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csce.settings.dev")

from csce.analytics.wsgi import BeaconFastPath

# Page-view beacons are answered before Django's middleware (decision 0013).
application = BeaconFastPath(get_wsgi_application())
