"""The legal and policy numbers, each defined once with the clause it comes from.

Every other module, template (through the ``policy`` template tag) and setting reads them
here; translated strings take them as parameters, so a change here changes every page.
The system checks (csce/common/checks.py) keep every configured retention within the cap.
"""

from __future__ import annotations

import math

from django.utils.functional import lazy

# Policy M: the host deletes collected data every three months, so no personal data
# collected through the sites is kept longer than 90 days unless a law requires it.
RETENTION_CAP_DAYS = 90
# Policy M: a form keeps its submissions 30 days unless its editor chooses fewer or more
# (never more than the cap).
FORM_RETENTION_DEFAULT_DAYS = 30

# PHIPA s.54(2): an answer within 30 days of the request.
PHIPA_RESPONSE_DAYS = 30
# PHIPA s.54(3)-(4): one extension of up to 30 more days, with written notice.
PHIPA_EXTENSION_MAX_DAYS = 30
# Policy P10: the Privacy Officer is reminded this many days before each due date.
PHIPA_REMINDER_DAYS_BEFORE = (7, 2)
# PIPEDA s.10.3 and its Breach Regulations s.6: breach records (and the privacy-request
# records kept with them) for 24 months.
PRIVACY_RECORD_RETENTION_MONTHS = 24
PRIVACY_RECORD_RETENTION_DAYS = PRIVACY_RECORD_RETENTION_MONTHS * 365 // 12

# Policy P10: the link that confirms a new privacy request's address.
PRIVACY_VERIFICATION_LINK_DAYS = 7
# Policy P10: the single-use download link of a person's export bundle.
PRIVACY_EXPORT_LINK_DAYS = 7

# Policy M, ASVS 2.2.1: failed sign-ins before a lockout, and how long it lasts.
LOCKOUT_FAILURE_LIMIT = 5
LOCKOUT_MINUTES = 15

# Policy M, ASVS 3.3.2: a staff session ends after 30 minutes idle and 12 hours in all.
SESSION_IDLE_MINUTES = 30
SESSION_ABSOLUTE_HOURS = 12

# Policy M, S: a staff account with no sign-in for this long is disabled.
DORMANT_ACCOUNT_DAYS = 90

# Policy V: the online-property policy and the privacy notice are reviewed periodically.
# A new policy version proposes its next review this many months after it takes effect;
# the AED is reminded (and the compliance view turns amber) this many days before a review.
POLICY_REVIEW_INTERVAL_MONTHS = 12
REVIEW_REMINDER_DAYS_BEFORE = 30


def _interpolated(message, values: dict) -> str:
    return message % values


# A translated string with its policy numbers, read in the reader's language when shown:
# ``ngettext_lazy(...) % {...}`` alone would translate once, at import.
interpolate_lazy = lazy(_interpolated, str)

# CASL s.10(1), s.11 and policy P3, P7: the newsletter.
# A subscription not confirmed through the e-mailed link within this many days is deleted.
NEWSLETTER_UNCONFIRMED_DAYS = 7
# Repeated requests for one address send at most one confirmation e-mail per this many
# hours (and never say whether the address is subscribed).
NEWSLETTER_CONFIRMATION_INTERVAL_HOURS = 1
# CASL s.11(1)-(3): an unsubscribe link works for at least 60 days after the message and
# takes effect within 10 business days. Ours work while the address is subscribed and
# take effect at once; these are the legal floor the tests hold us to.
CASL_UNSUBSCRIBE_LINK_MIN_DAYS = 60
CASL_UNSUBSCRIBE_EFFECT_MAX_BUSINESS_DAYS = 10
# CASL s.13: the sender proves each consent, so a confirmed subscription and its consent
# proof are kept for as long as the person stays subscribed: no fixed number of days. The
# registry's retention check (checks.py) reads it as longer than any cap, so the source
# that keeps it must name that law in its legal_hold.
WHILE_SUBSCRIBED_DAYS = math.inf

# PHIPA s.12(2), (3) and O. Reg. 329/04 s.6.3, s.6.4; PIPEDA s.10.1, s.10.3: incidents and
# privacy breaches. A closed incident's record (its timeline, scope and notices) is kept
# this long after closing, then deleted by the retention job.
BREACH_RECORD_RETENTION_DAYS = PRIVACY_RECORD_RETENTION_DAYS
# O. Reg. 329/04 s.6.4: by March 1 of each year, the previous calendar year's counts go to
# the Information and Privacy Commissioner; the compliance views remind from January 15
# until the report is marked submitted.
IPC_ANNUAL_REPORT_DUE = (3, 1)  # (month, day)
IPC_ANNUAL_REMINDER_FROM = (1, 15)  # (month, day)
# PHIPA s.12(2)(b): a notice to a person tells them they may complain to the Commissioner;
# these are the Commissioner's published contact details.
IPC_CONTACT = {
    "name_fr": "Commissaire à l'information et à la protection de la vie privée de l'Ontario",
    "name_en": "Information and Privacy Commissioner of Ontario",
    "address": "2 Bloor Street East, Suite 1400, Toronto, Ontario  M4W 1A8",
    "telephone": "416-326-3333",
    "toll_free": "1-800-387-0073",
    "tty": "416-325-7539",
    "email": "info@ipc.on.ca",
    "website": "https://www.ipc.on.ca",
}

# Policy U, R, X: user conduct. A report of a concern and a comment waiting for moderation
# are answered within this many business days (policy R: respond promptly).
MODERATION_RESPONSE_BUSINESS_DAYS = 1
# Policy M: a rejected or deleted comment, a closed report and a comment still waiting
# are deleted this many days after their last moderation (or their arrival); an approved
# comment keeps only what is published (name and text), its address and network key go.
MODERATION_RECORD_DAYS = RETENTION_CAP_DAYS
# Policy U: how long a moderator may block an abusive sender (keyed hashes of the network
# and the e-mail address, never the address itself), in days; the longest stays within
# policy M's cap.
MODERATION_BLOCK_DAYS = (1, 7, 30, 90)
# Policy U: links a comment may hold (spam carries many).
COMMENT_MAX_LINKS = 2

# Policy C: media whose rights expire within this many days are listed for replacement
# and turn the compliance view's "media rights" indicator amber.
MEDIA_EXPIRY_WARNING_DAYS = 30

# Policy M: the annual security audit. The next is due this many months after the last
# one the AED completed; the compliance view turns amber this many days before.
SECURITY_AUDIT_INTERVAL_MONTHS = 12
SECURITY_AUDIT_REMINDER_DAYS = 30
# Policy M: the retention job runs daily; a last run older than this fails the audit.
RETENTION_JOB_MAX_AGE_DAYS = 2
# Policy M: the key that encrypts personal data at rest is rotated at least this often.
ENCRYPTION_KEY_MAX_AGE_DAYS = 365
# Policy M: a daily backup, with a few hours' slack for the one of the night.
BACKUP_MAX_AGE_HOURS = 26

# Policy O, R, M: the AED reviews who administers each online property (website and social
# media accounts) every quarter; the compliance view warns this many days before a review
# falls due; an online property's MFA is confirmed again at least once a year (annual
# security audit).
PROPERTY_ACCESS_REVIEW_DAYS = 91
PROPERTY_REVIEW_WARNING_DAYS = 14
PROPERTY_MFA_CONFIRMATION_MAX_DAYS = 365

# Policy C: every public page is reviewed for accuracy by its owner at least once a year;
# a page never marked as reviewed counts from its first publication.
PAGE_REVIEW_MONTHS = 12
PAGE_REVIEW_DAYS = PAGE_REVIEW_MONTHS * 365 // 12
# Policy C, R: the owner and the AED's compliance view are warned this many days before.
PAGE_REVIEW_WARNING_DAYS = 30
# Policy X: the reason the AED gives for an override (unpublishing, publishing over the
# owner) is kept in the page's history; a sentence or two, not a document.
OVERRIDE_REASON_MAX_LENGTH = 1000

# Policy R: the compliance view's thresholds (docs/compliance.md). A staff member is
# given this many days after joining to enrol a second factor before MFA coverage turns
# red (policy M: every staff account signs in with two factors).
COMPLIANCE_MFA_ENROLMENT_DAYS = 7
# Policy S, V: days after a policy version takes effect before a staff member who has
# not acknowledged it turns the acknowledgements indicator red.
COMPLIANCE_ACKNOWLEDGEMENT_DAYS = 14
# Policy R: an inquiry, a comment or a report of a concern late by more than this many
# days reads red (late at all reads amber).
COMPLIANCE_OVERDUE_RED_DAYS = 5
# Policy P10: a privacy request this many days or fewer from its PHIPA due date reads
# amber (the Privacy Officer's last reminder); past it, red.
COMPLIANCE_PRIVACY_DUE_SOON_DAYS = 2
# Policy M: the retention job runs daily; its last finished run older than this many
# hours reads amber, older than the second number (or never) red.
COMPLIANCE_RETENTION_RUN_HOURS = (26, 72)
# Policy M: a personal record may outlive its retention by this many days (the daily job
# has not passed yet) before the retention indicator reads red.
COMPLIANCE_RETENTION_GRACE_DAYS = 1
# Policy P3: newsletter deliveries that failed in the campaigns started in this many
# days; a campaign with at least this share (percent) failed reads red.
COMPLIANCE_NEWSLETTER_WINDOW_DAYS = 30
COMPLIANCE_NEWSLETTER_FAILED_RED_PERCENT = 10
# Policy R: the weekly digest of the indicators that do not hold goes to the AED on this
# ISO weekday (1 = Monday), or on the first run of the week after a missed one.
COMPLIANCE_DIGEST_WEEKDAY = 1
