"""The approval workflow and its task are named in each reader's language (policy P2, R):
"Approbation de la direction adjointe" in the French admin, never Wagtail's sample name."""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Task, Workflow

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in, staff_user

pytestmark = pytest.mark.django_db

FRENCH = "Approbation de la direction adjointe"
ENGLISH = "Assistant Executive Director approval"


@pytest.mark.parametrize(("language", "expected"), [("fr", FRENCH), ("en", ENGLISH)])
def test_the_workflow_and_its_task_read_in_the_active_language(language, expected):
    with override(language):
        assert Workflow.objects.get(name=roles.WORKFLOW_NAME).name == expected
        assert str(Task.objects.get(name=roles.WORKFLOW_NAME).specific) == expected


def test_saving_a_translated_name_stores_the_identifier():
    with override("fr"):
        workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
        workflow.name = workflow.name  # as the French edit form sends it back
        workflow.save()
    assert (
        Workflow.objects.filter(name=roles.WORKFLOW_NAME).values_list("name", flat=True)[0]
        == roles.WORKFLOW_NAME
    )


def test_another_workflows_name_is_kept_as_typed():
    workflow = Workflow.objects.create(name="Relecture externe")
    with override("en"):
        assert Workflow.objects.get(pk=workflow.pk).name == "Relecture externe"


@pytest.mark.parametrize(
    ("language", "expected", "absent"), [("fr", FRENCH, ENGLISH), ("en", ENGLISH, FRENCH)]
)
def test_the_admins_workflow_list_names_it_in_the_staff_members_language(
    client, language, expected, absent
):
    staff_sign_in(client, staff_user(superuser=True, language=language))
    html = client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    assert expected in html
    assert absent not in html
    assert roles.WORKFLOW_FORMER_NAME not in html


def test_an_existing_database_s_sample_workflow_is_renamed():
    Workflow.objects.filter(name=roles.WORKFLOW_NAME).update(name=roles.WORKFLOW_FORMER_NAME)
    Task.objects.filter(name=roles.WORKFLOW_NAME).update(name=roles.WORKFLOW_FORMER_NAME)
    roles.workflow_rename(apps=django_apps)
    assert not Workflow.objects.filter(name=roles.WORKFLOW_FORMER_NAME, active=True).exists()
    assert Workflow.objects.filter(name=roles.WORKFLOW_NAME, active=True).count() == 1
    assert Task.objects.filter(name=roles.WORKFLOW_NAME).count() == 1
