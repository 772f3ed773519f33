"""An unwritable database (read-only, full disk): clean bilingual pages, a health endpoint
that says so, never a server error (policy M)."""

import pytest
from health_check.exceptions import ServiceUnavailable

from csce.accounts.factories import staff_user
from csce.common.health import WritableDatabase
from csce.common.testing import database_read_only

pytestmark = pytest.mark.django_db


def test_the_health_check_reports_a_database_it_cannot_write():
    WritableDatabase().run()  # writable: no error
    with database_read_only(), pytest.raises(ServiceUnavailable, match="not writable"):
        WritableDatabase().run()


def test_the_health_check_changes_nothing():
    from django.db.migrations.recorder import MigrationRecorder

    before = list(MigrationRecorder.Migration.objects.order_by("id").values_list())
    WritableDatabase().run()
    assert list(MigrationRecorder.Migration.objects.order_by("id").values_list()) == before


@pytest.mark.django_db(transaction=True)  # no test transaction holding SQLite's write lock
def test_the_health_endpoint_checks_a_write(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    assert any("WritableDatabase" in name for name in response.json())


def test_staff_sign_in_with_an_unwritable_database_is_a_clean_bilingual_page(client):
    staff_user(
        username="agente",
        password="un-mot-de-passe-assez-long-2026",
        is_staff=True,
        verified=False,
    )
    credentials = {"username": "agente", "password": "un-mot-de-passe-assez-long-2026"}
    client.raise_request_exception = False
    with database_read_only():
        response = client.post("/admin/login/", credentials)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Veuillez réessayer dans quelques minutes" in html
    assert "Please try again in a few minutes" in html
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    # Nothing was half-done: the account is intact and can sign in afterwards.
    assert client.post("/admin/login/", credentials).status_code == 302
