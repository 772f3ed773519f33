"""The policy's roles as Wagtail groups, with exactly the permissions each needs (policy R, F).

Each app declares in its own ``roles.py`` which of its permissions each role gets
(``ROLE_PERMISSIONS``); this module holds the site-wide ones (the admin, media, pages'
workflow, staff accounts) and assembles the rest from the installed apps, without naming
them. ``roles_apply`` takes an ``apps`` registry and runs after every ``migrate``
(csce/accounts/signals.py) and from ``manage.py sync_roles``.
docs/access-matrix.md is the contract; ``tests/test_access_matrix.py`` checks it.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps as django_apps
from django.utils.module_loading import module_has_submodule

from csce.common.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    ROLE_LABELS,
    TECHNICAL_ADMIN,
)

__all__ = [
    "AED",
    "COMMUNICATIONS",
    "CONTENT",
    "ED",
    "PRIVACY_OFFICER",
    "PROGRAM_STAFF",
    "ROLE_LABELS",
    "TECHNICAL_ADMIN",
]

ACCESS_ADMIN = "wagtailadmin.access_admin"
MEDIA = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
# Policy S, V: the AED and the technical administrator publish new policy versions.
POLICY_MANAGEMENT = [
    "accounts.add_policyversion",
    "accounts.change_policyversion",
    "accounts.view_policyversion",
]

# Policy R, F: the two roles whose members approve a role that opens personal data
# (never the requester, never the account's owner: csce/accounts/role_requests.py).
ROLE_APPROVERS = [AED, ED]
# The only roles given without approval: they open no personal data, as long as the
# group holds no more than the matrix gives it and is no form's inbox.
ROLES_WITHOUT_APPROVAL = [CONTENT]

# The site-wide permissions ("app_label.codename"): Wagtail's admin, media, redirects and
# translations, the staff accounts, the lockouts and the policy versions. Image and
# document permissions are granted on the root collection (Wagtail checks them there),
# every other one on the group itself.
SITE_ROLE_PERMISSIONS: dict[str, list[str]] = {
    AED: [
        ACCESS_ADMIN,
        *MEDIA,
        "wagtail_localize.submit_translation",
        *POLICY_MANAGEMENT,
        # Policy R, V: a new policy version takes effect only with the AED's approval.
        "accounts.approve_policyversion",
        "accounts.view_policyacknowledgement",
    ],
    ED: [ACCESS_ADMIN],
    CONTENT: [
        ACCESS_ADMIN,
        *MEDIA,
        "wagtail_localize.submit_translation",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
    ],
    COMMUNICATIONS: [ACCESS_ADMIN],
    PRIVACY_OFFICER: [ACCESS_ADMIN],
    PROGRAM_STAFF: [ACCESS_ADMIN],
    TECHNICAL_ADMIN: [
        ACCESS_ADMIN,
        "auth.add_user",
        "auth.change_user",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "wagtailcore.add_collection",
        "wagtailcore.change_collection",
        "wagtailcore.add_workflow",
        "wagtailcore.change_workflow",
        "wagtailcore.add_task",
        "wagtailcore.change_task",
        *POLICY_MANAGEMENT,
        # Policy M: unlocks accounts that django-axes locked.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
}


def role_permissions() -> dict[str, list[str]]:
    """The whole matrix: the site-wide permissions, then each project app's ``roles.py``
    declaration, in INSTALLED_APPS order. A role no one defined is a mistake, not a group."""
    matrix = {role: list(permissions) for role, permissions in SITE_ROLE_PERMISSIONS.items()}
    for app_config in django_apps.get_app_configs():
        if (
            app_config.name == __package__
            or not app_config.name.startswith("csce.")
            or not module_has_submodule(app_config.module, "roles")
        ):
            continue
        declared = getattr(import_module(f"{app_config.name}.roles"), "ROLE_PERMISSIONS", {})
        for role, permissions in declared.items():
            if role not in matrix:
                raise ValueError(f"{app_config.name}.roles grants to an unknown role {role!r}.")
            matrix[role] += [p for p in permissions if p not in matrix[role]]
    return matrix


# Page permissions on every home page (one per language). Content creators may not
# publish: their pages, and their translations, go through the approval workflow, which
# the AED approves (policy C: the AED approves content).
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    AED: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    CONTENT: ["add_page", "change_page"],
}

# The workflow's and its task's stored name: a stable identifier, shown in each reader's
# language ("Approbation de la direction adjointe"; csce/accounts/workflow_names.py).
WORKFLOW_NAME = "Assistant Executive Director approval"
# Its name before it was translated (migration 0011 renames it).
WORKFLOW_FORMER_NAME = "Moderators approval"
# Wagtail's sample groups would be a way around the matrix: they are removed.
WAGTAIL_SAMPLE_GROUPS = ["Moderators", "Editors"]


def _permission(apps, dotted: str):
    """The permission, or None when its app is not installed (or not migrated yet)."""
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def roles_apply(*, apps) -> None:
    """Create or update every role group, its permissions and the approval workflow.

    Idempotent: running it again resets each group to exactly the matrix.
    """
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    for name, permissions in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        model_permissions = [p for p in permissions if p not in MEDIA]
        found = [_permission(apps, p) for p in model_permissions]
        group.permissions.set([p for p in found if p is not None])
        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_collection is not None:
            for dotted in permissions:
                if dotted in MEDIA and _permission(apps, dotted) is not None:
                    GroupCollectionPermission.objects.create(
                        group=group,
                        collection=root_collection,
                        permission=_permission(apps, dotted),
                    )
    Group.objects.filter(name__in=WAGTAIL_SAMPLE_GROUPS).delete()
    _workflow_apply(apps=apps)
    Page = apps.get_model("wagtailcore", "Page")
    for home in Page.objects.filter(depth=2):
        home_page_roles_grant(apps=apps, page_id=home.pk)


def workflow_rename(*, apps) -> None:
    """Wagtail's sample workflow and task ("Moderators approval") become the site's, under
    its identifier; pages that used a leftover sample workflow use the site's."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    for model in (Workflow, Task):
        if not model.objects.filter(name=WORKFLOW_NAME).exists():
            model.objects.filter(name=WORKFLOW_FORMER_NAME).update(name=WORKFLOW_NAME)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    former = Workflow.objects.filter(name=WORKFLOW_FORMER_NAME)
    if workflow is not None and former.exists():
        WorkflowPage.objects.filter(workflow__in=former).update(workflow=workflow)
        former.update(active=False)
        Task.objects.filter(name=WORKFLOW_FORMER_NAME).update(active=False)


def _workflow_apply(*, apps) -> None:
    workflow_rename(apps=apps)
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        content_type, _ct = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=WORKFLOW_NAME, active=True, content_type=content_type
        )
    task.groups.set([Group.objects.get(name=AED)])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


def home_page_roles_grant(*, apps, page_id: int) -> None:
    """Page permissions and the approval workflow on one home page (depth 2)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    for name, codenames in ROLE_PAGE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=page_id,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})
