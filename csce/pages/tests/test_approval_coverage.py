"""The approval workflow covers every page type in both languages (policy C, R).

The page types come from Wagtail's registry, not from a list: a new page type, in this
app or another, is covered by these tests without editing them. Each type is placed
where the page tree allows it under each language's home page; the AED's workflow must
apply there and a content creator must be able to edit but not publish.
"""

from __future__ import annotations

from collections import deque

import pytest
from wagtail.models import Page, Workflow, get_page_models

from csce.accounts.factories import staff_user
from csce.accounts.roles import AED, CONTENT, WORKFLOW_NAME
from csce.pages.factories import site_every_page_type
from csce.pages.models import HomePage

pytestmark = [pytest.mark.django_db]

LANGUAGES = ("fr", "en")


def _the_workflow_id() -> int:
    # The stored name is the identifier; ``name`` reads it in the active language.
    return Workflow.objects.get(name=WORKFLOW_NAME).pk


def _creatable_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if model.is_creatable]


def _depth_below_home(model: type[Page]) -> int | None:
    """How many levels below a home page ``model`` can first be added (1: a child of
    the home), following each type's allowed subpage types; None if it never can."""
    seen = {HomePage: 0}
    queue = deque([HomePage])
    while queue:
        parent = queue.popleft()
        for child in parent.allowed_subpage_models():
            if child not in seen:
                seen[child] = seen[parent] + 1
                queue.append(child)
    return seen.get(model) or None


def _placed(model: type[Page], *, home: Page) -> Page:
    """An unsaved page of ``model`` at its place in ``home``'s tree: its ancestors in the
    database are the root and the home, which carry the permissions and the workflow."""
    depth = _depth_below_home(model)
    assert depth is not None, f"{model.__name__} cannot be added under a home page"
    page = model(title=f"Couverture {model.__name__}", slug="couverture", locale=home.locale)
    page.depth = home.depth + depth
    page.path = home.path + "ZZZZ" * depth
    return page


@pytest.fixture
def creator():
    return staff_user(role=CONTENT, username="createur-couverture")


def test_the_workflow_is_the_aeds_only(site_home):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.active
    [task] = [task.specific for task in workflow.tasks.all()]
    assert list(task.groups.values_list("name", flat=True)) == [AED]


def test_every_home_page_type_is_a_home_in_each_language(site_home, creator):
    homes = Page.objects.filter(depth=2)
    assert sorted(homes.values_list("locale__language_code", flat=True)) == sorted(LANGUAGES)
    for home in homes:
        assert home.get_workflow().pk == _the_workflow_id(), home.locale.language_code
        permissions = home.permissions_for_user(creator)
        assert permissions.can_edit()
        assert not permissions.can_publish()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_is_covered_in_each_language(site_home, creator, language):
    home = Page.objects.get(depth=2, locale__language_code=language)
    models = [model for model in _creatable_page_models() if model is not HomePage]
    assert models, "no page type found"
    for model in models:
        page = _placed(model, home=home)
        workflow = page.get_workflow()
        assert workflow is not None, model.__name__
        assert workflow.pk == _the_workflow_id(), model.__name__
        permissions = page.permissions_for_user(creator)
        assert not permissions.can_publish(), model.__name__
        assert permissions.can_edit(), model.__name__


def test_every_existing_page_and_translation_is_covered(creator):
    """A site with a page of every public type, each with its English translation."""
    site_every_page_type()
    pages = Page.objects.filter(depth__gt=1).specific()
    languages = set()
    for page in pages:
        languages.add(page.locale.language_code)
        assert page.get_workflow().pk == _the_workflow_id(), (page.title, page.locale)
        assert not page.permissions_for_user(creator).can_publish(), page.title
    assert languages == set(LANGUAGES)


def test_a_new_languages_home_page_gets_the_workflow(site_home, creator):
    from wagtail.models import Locale

    spanish = Locale.objects.create(language_code="es")
    root = Page.objects.get(depth=1)
    home = root.add_child(
        instance=HomePage(
            title="Inicio", slug="inicio", locale=spanish, hero_title="Salud", hero_text="Texto"
        )
    )
    assert home.get_workflow().pk == _the_workflow_id()
    permissions = home.permissions_for_user(creator)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    # And a page of every other type under it.
    for model in _creatable_page_models():
        if model is not HomePage:
            page = _placed(model, home=home)
            assert page.get_workflow().pk == _the_workflow_id(), model.__name__
            assert not page.permissions_for_user(creator).can_publish(), model.__name__
