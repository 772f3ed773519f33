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

        personal_data_registry.register(SIGN_IN_ATTEMPTS_SOURCE)
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


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the staff profile fields on its forms (INSTALLED_APPS)."""

    user_viewset = "csce.accounts.viewsets.StaffUserViewSet"
