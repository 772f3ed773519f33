"""The policy's roles as Wagtail groups, with exactly the permissions each needs (policy R, F).

This module is plain data plus two functions that take an ``apps`` registry, so the data
migration (historical models) and the running site (real models) apply the same matrix.
docs/access-matrix.md is the contract; ``tests/test_access_matrix.py`` checks it.
Group names are stable English identifiers; their French display comes from gettext.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AED = "Assistant Executive Director"
ED = "Executive Director"
CONTENT = "Content creator/administrator"
COMMUNICATIONS = "Communications"
PRIVACY_OFFICER = "Privacy Officer"
PROGRAM_STAFF = "Program staff"
TECHNICAL_ADMIN = "Technical administrator"

ROLE_LABELS = {
    AED: _("Assistant Executive Director"),
    ED: _("Executive Director"),
    CONTENT: _("Content creator/administrator"),
    COMMUNICATIONS: _("Communications"),
    PRIVACY_OFFICER: _("Privacy Officer"),
    PROGRAM_STAFF: _("Program staff"),
    TECHNICAL_ADMIN: _("Technical administrator"),
}

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

# Policy M: when the retention job last ran and the age of the oldest personal record.
RETENTION_REVIEW = "retention.view_purgerun"

# Policy F, P3, P9-P10: the Privacy Officer keeps the processors register and answers
# privacy requests; the AED supervises both.
PRIVACY_MANAGEMENT = [
    "privacy.view_processor",
    "privacy.add_processor",
    "privacy.change_processor",
    "privacy.delete_processor",
    "privacy.view_privacyrequest",
    "privacy.change_privacyrequest",
    "privacy.view_privacynoticeversion",
]
PRIVACY_SUPERVISION = ["privacy.view_processor", "privacy.view_privacynoticeversion"]

# Issue 6: the website statistics dashboard (daily rollups, no personal data) is read by
# the AED, who supervises the properties, and by Communications, who run them.
STATISTICS = "analytics.view_statistics"

# Policy M: the staff who run the site see the outgoing e-mail's backlog and failures
# (recipients masked, never the content) and send a failed message again.
OUTBOX_REVIEW = "outbox.view_outboxmessage"

# Policy F: which inbox receives a form or a topic decides who reads what visitors send;
# only the AED changes it (csce/submissions/page_forms.py), and every change is logged.
ROUTING = "submissions.change_routing"

# Policy R, F: the two roles whose members approve a role that opens personal data
# (never the requester, never the account's owner: csce/accounts/role_requests.py).
ROLE_APPROVERS = [AED, ED]
# The only roles given without approval: they open no personal data, as long as the
# group holds no more than the matrix gives it and is no form's inbox.
ROLES_WITHOUT_APPROVAL = [CONTENT]

# Model permissions ("app_label.codename"). Image and document permissions are granted on
# the root collection (Wagtail checks them there), every other one on the group itself.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    AED: [
        ACCESS_ADMIN,
        *MEDIA,
        "wagtail_localize.submit_translation",
        "audit.view_accesslogentry",
        "pages.change_centresettings",
        *POLICY_MANAGEMENT,
        "accounts.view_policyacknowledgement",
        RETENTION_REVIEW,
        *PRIVACY_SUPERVISION,
        STATISTICS,
        OUTBOX_REVIEW,
        ROUTING,
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
    COMMUNICATIONS: [ACCESS_ADMIN, STATISTICS],
    PRIVACY_OFFICER: [
        ACCESS_ADMIN,
        "audit.view_accesslogentry",
        RETENTION_REVIEW,
        *PRIVACY_MANAGEMENT,
    ],
    PROGRAM_STAFF: [ACCESS_ADMIN],
    TECHNICAL_ADMIN: [
        ACCESS_ADMIN,
        "auth.add_user",
        "auth.change_user",
        "pages.change_centresettings",
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
        RETENTION_REVIEW,
        OUTBOX_REVIEW,
    ],
}

# Page permissions on every home page (one per language). Content creators may not
# publish: their pages go through the "Moderators approval" workflow, which the AED
# approves (policy C: the AED approves content).
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    AED: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    CONTENT: ["add_page", "change_page"],
}

WORKFLOW_NAME = "Moderators approval"
# Wagtail's sample groups would be a way around the matrix: they are removed.
WAGTAIL_SAMPLE_GROUPS = ["Moderators", "Editors"]


def _permission(apps, dotted: str):
    """The permission, or None while its model's migration has not run yet: every
    migration that adds a model named here calls ``roles_apply`` again."""
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
    for name, permissions in ROLE_PERMISSIONS.items():
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


def _workflow_apply(*, apps) -> None:
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
