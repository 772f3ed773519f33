import pytest
from wagtail.models import Site

from csce.pages.models import CentreSettings


@pytest.fixture
def centre(site_home):
    """The centre's identification, as CASL wants it in every message."""
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    centre.name = "Centre de santé communautaire de l'Estrie"
    centre.name_en = "Estrie Community Health Centre"
    centre.street_address = "1, rue Principale"
    centre.city = "Cornwall"
    centre.postal_code = "K6H 1A1"
    centre.phone = "613 555-0100"
    centre.email = "info@csce.example"
    centre.save()
    return centre
