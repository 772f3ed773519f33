"""The retention job on the dashboard: when it last ran, and how old the oldest record is.

Policy M: "the company hosting the website deletes collected data every three months".
Shown to the holders of ``retention.view_purgerun`` (AED, Privacy Officer, technical
administrator: csce/accounts/roles.py). Counts and ages only, never content.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.admin.ui.components import Component

from csce.common import policy

from .selectors import personal_store_ages, purge_last_run

VIEW_PERMISSION = "retention.view_purgerun"
# Policy M: no website-collected personal record is older than three months.
MAX_AGE_DAYS = policy.RETENTION_CAP_DAYS


class RetentionPanel(Component):
    name = "retention"
    order = 120
    template_name = "retention/panels/retention.html"

    def get_context_data(self, parent_context=None):
        run = purge_last_run()
        stores = [
            {
                "label": store.label,
                "retention": store.retention,
                "age_days": store.age_days,
                "too_old": store.age_days is not None and store.age_days > MAX_AGE_DAYS,
                "count": (run.counts or {}).get(store.key, 0) if run else None,
            }
            for store in personal_store_ages()
        ]
        return {
            "run": run,
            "stores": stores,
            "max_age_days": MAX_AGE_DAYS,
            "any_too_old": any(store["too_old"] for store in stores),
        }


@hooks.register("construct_homepage_panels")
def retention_panel(request, panels) -> None:
    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(RetentionPanel())


@hooks.register("register_permissions")
def retention_permissions():
    # Shown in the group editor, so that the role can be granted (or seen) there.
    return Permission.objects.filter(content_type__app_label="retention", codename="view_purgerun")
