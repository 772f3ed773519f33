import math

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "csce.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self):
        from django.conf import settings

        from . import checks  # noqa: F401 (registers the retention and registry checks)
        from .cookies import cookie_lifetime
        from .guards import guards_purge_expired
        from .registry import NoticeEntry, PersonalDataSource, personal_data_registry

        # Policy P5: the forms' rate limit (spam.py) is collected automatically; the
        # notice says so. Only a keyed hash of the address, in the database, for the window.
        window = cookie_lifetime(settings.FORM_RATE_WINDOW_SECONDS)
        entry = NoticeEntry(
            title=_("Limit on sending forms"),
            collected=_(
                "A keyed hash of your IP address, counted when you send a form; never the "
                "address itself."
            ),
            purpose=_("Stopping the abuse of our forms (spam, flooding)."),
            recipients=_("No one: the server reads it alone."),
            retention=window,
        )
        personal_data_registry.register(
            PersonalDataSource(
                key="form_rate_limit",
                label=_("Limit on sending forms"),
                purpose=entry.purpose,
                retention=window,
                notice=lambda: [entry],
                purge_expired=guards_purge_expired,
                automatic=True,
                models=("common.RateCounter",),
                # The window is minutes long: a day rounds it up.
                retention_days=math.ceil(settings.FORM_RATE_WINDOW_SECONDS / 86400),
            )
        )

        from .audit_checks import AUDIT_CHECKS
        from .compliance import audit_check_registry

        # Policy M: the site-wide checks of the annual security audit.
        for check in AUDIT_CHECKS:
            audit_check_registry.register(check)
