import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig

from csce.common.schedule import ScheduledJob, job_schedule


class AccountsConfig(AppConfig):
    default = True  # apps.py also holds StaffUsersConfig, for wagtail.users
    name = "csce.accounts"
    label = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from csce.common.registry import personal_data_registry

        from . import (
            mfa_hooks,  # noqa: F401 (second-factor screens, 0007-mfa.md)
            signals,  # noqa: F401
        )
        from .cookies import staff_cookies_declare
        from .registry import SIGN_IN_ATTEMPTS_SOURCE
        from .workflow_names import workflow_names_translate

        group_display_translate()
        from csce.common.compliance import audit_check_registry

        from .audit_checks import AUDIT_CHECKS

        # Policy M, S: second factors, dormant and ended accounts, in the annual audit.
        for check in AUDIT_CHECKS:
            audit_check_registry.register(check)
        personal_data_registry.register(SIGN_IN_ATTEMPTS_SOURCE)
        from csce.common.compliance import indicator_registry

        from .indicators import INDICATORS

        for indicator in INDICATORS:  # the compliance view (policy R)
            indicator_registry.register(indicator)
        staff_cookies_declare()  # for the privacy notice (csce/common/cookies.py)
        workflow_names_translate()  # the approval workflow named in each reader's language

        # Policy M: dormant and expired accounts are disabled, daily (csce/common/schedule.py).
        job_schedule.register(
            ScheduledJob(
                name="disable_dormant_accounts",
                at=datetime.time(3, 15),
                command="disable_dormant_accounts",
            )
        )
        # Policy V: the AED is reminded of the policy's review (csce/accounts/reviews.py).
        from .reviews import policy_review_remind

        job_schedule.register(
            ScheduledJob(
                name="remind_policy_review", at=datetime.time(7, 5), func=policy_review_remind
            )
        )
        # Ended sign-in sessions are rows until deleted (decision 0018): deleted daily.
        job_schedule.register(
            ScheduledJob(
                name="clear_expired_sessions", at=datetime.time(3, 20), command="clearsessions"
            )
        )


def group_display_translate() -> None:
    """Policy P2: a role shows as its label in the reader's language wherever a group is
    displayed (the users' and the workflow tasks' role checkboxes, the groups' titles,
    the inboxes); ``Group.name`` stays the stable English identifier. Permissions too."""
    from django.contrib.auth.models import Group, Permission

    from csce.common.roles import permission_label, role_label

    Group.__str__ = role_label
    # A permission's name is stored in English when it is created: « Ajouter — page »
    # for "Can add page", and the translation of any other (Wagtail's "Delete pages with
    # children").
    Permission.__str__ = lambda permission: (
        f"{permission.content_type} | {permission_label(permission)}"
    )


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the staff profile fields on its forms (INSTALLED_APPS)."""

    user_viewset = "csce.accounts.viewsets.StaffUserViewSet"
    group_viewset = "csce.accounts.viewsets.StaffGroupViewSet"
