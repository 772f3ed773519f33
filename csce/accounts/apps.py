from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True  # apps.py also holds StaffUsersConfig, for wagtail.users
    name = "csce.accounts"
    label = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from . import (
            mfa_hooks,  # noqa: F401 (second-factor screens, 0007-mfa.md)
            signals,  # noqa: F401
        )


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the staff profile fields on its forms (INSTALLED_APPS)."""

    user_viewset = "csce.accounts.viewsets.StaffUserViewSet"
