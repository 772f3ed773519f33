"""Run the annual security audit's automated checks, store them as a dated report and
exit non-zero when one fails (policy M)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from csce.audit.security_audit import security_audit_run
from csce.common.audit_checks import audit_base_url
from csce.common.compliance import FAIL, PASS, STATUS_LABELS


class Command(BaseCommand):
    help = (
        "Run every check of the annual security audit (each app registers its own), print "
        "them, store them as a dated report that the AED completes in the admin with the "
        "manual checklist, and exit with status 1 when a check fails (warnings do not fail)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Public address whose security headers are checked (default: SECURITY_AUDIT_URL).",
        )

    def handle(self, *args, format="text", base_url=None, **options):
        token = audit_base_url.set(base_url)
        try:
            audit = security_audit_run()
        finally:
            audit_base_url.reset(token)
        results = audit.results
        if format == "json":
            self.stdout.write(
                json.dumps(
                    [
                        {"check": r["check"], "status": r["status"], "detail": r["detail"]}
                        for r in results
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for result in results:
                line = f"[{STATUS_LABELS[result['status']]}] {result['label']}: {result['detail']}"
                style = {PASS: self.style.SUCCESS, FAIL: self.style.ERROR}.get(
                    result["status"], self.style.WARNING
                )
                self.stdout.write(style(line))
            self.stdout.write(
                _("Report %(id)s stored; sign the manual checklist in the admin.")
                % {"id": audit.pk}
            )
        failed = [r["check"] for r in results if r["status"] == FAIL]
        if failed:
            raise CommandError(
                _("Failed checks: %(checks)s.") % {"checks": ", ".join(failed)}, returncode=1
            )
