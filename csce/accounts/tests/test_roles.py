"""The role matrix is assembled from each app's roles.py and applied after every migrate
(policy R, F); no migration and no accounts module names another app's permissions."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from csce.accounts import roles
from csce.accounts.signals import roles_after_migrate
from csce.analytics import roles as analytics_roles

PROJECT = Path(settings.PROJECT_DIR)


def test_each_app_s_declaration_reaches_its_roles():
    matrix = roles.role_permissions()
    assert "submissions.change_routing" in matrix[roles.AED]
    assert "privacy.change_privacyrequest" in matrix[roles.PRIVACY_OFFICER]
    assert "privacy.change_privacyrequest" not in matrix[roles.AED]
    assert "analytics.view_statistics" in matrix[roles.COMMUNICATIONS]
    assert matrix[roles.PROGRAM_STAFF] == [roles.ACCESS_ADMIN]


def test_an_app_granting_to_an_unknown_role_is_refused(monkeypatch):
    monkeypatch.setattr(analytics_roles, "ROLE_PERMISSIONS", {"Volunteer": ["x.view_y"]})
    with pytest.raises(ValueError, match="Volunteer"):
        roles.role_permissions()


def test_accounts_roles_imports_no_other_project_app():
    tree = ast.parse((PROJECT / "accounts" / "roles.py").read_text(encoding="utf-8"))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("csce.")
    }
    assert imported <= {"csce.common.roles"}


def test_no_migration_imports_live_role_code():
    """A migration replays the past: it may not depend on today's matrix."""
    offenders = [
        str(path.relative_to(PROJECT))
        for path in PROJECT.glob("*/migrations/*.py")
        if "csce.accounts.roles" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_sync_roles_resets_a_group_changed_by_hand():
    group = Group.objects.get(name=roles.COMMUNICATIONS)
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    call_command("sync_roles", stdout=io.StringIO())
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert "auth.delete_user" not in held
    assert held == set(roles.role_permissions()[roles.COMMUNICATIONS])


@pytest.mark.django_db
def test_the_roles_are_applied_once_at_the_end_of_migrate():
    group = Group.objects.get(name=roles.COMMUNICATIONS)
    group.permissions.clear()
    first = next(config for config in apps.get_app_configs() if config.models_module)
    roles_after_migrate(sender=first, apps=apps)
    assert not group.permissions.exists()
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    roles_after_migrate(sender=last, apps=apps)
    assert group.permissions.filter(codename="view_statistics").exists()
