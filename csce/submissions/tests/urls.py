"""The project's routes plus the survey-results and file routes, as the admin will mount them."""

from django.urls import include, path

from csce.submissions.results import results_urlpatterns
from csce.submissions.uploads import uploads_urlpatterns
from csce.urls import handler404, handler500  # noqa: F401
from csce.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("admin/forms-test/", include(results_urlpatterns() + uploads_urlpatterns())),
    *project_urlpatterns,
]
