"""Every setting lives here; dev, test and production only override (an environment changes
values, never adds behaviour)."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csce.common import policy
from csce.common.client import trusted_networks_parse
from csce.common.email_provider import anymail_settings
from csce.env import BASE_DIR, ConfigurationError, env, stored_secret

PROJECT_DIR = BASE_DIR / "csce"

# The embedded default keeps every file it writes (database, keys, media, mail) here.
DATA_DIR = env.path("DATA_DIR", BASE_DIR / "var")

# Keys come from the environment or from DATA_DIR; importing these settings never writes
# one (csce.settings.dev generates the embedded default's), so a missing key is refused.
SECRET_KEY = env.str("SECRET_KEY") or stored_secret(DATA_DIR / "secret_key")
# Old keys still accepted for signatures while a rotation settles (docs/operations.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", [])
# Personal and sensitive values are encrypted at rest (policy M): the first
# key encrypts, every key decrypts; `manage.py rotate_field_key` moves data to the first.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", []) or [
    key for key in [stored_secret(DATA_DIR / "field_encryption_key")] if key
]
# Keyed hash that finds a record by e-mail without storing the address (blind index).
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY") or stored_secret(DATA_DIR / "blind_index_key")
# Signs the access log's hash chain (HMAC): kept outside the database (docs/access-log.md).
ACCESS_LOG_KEY = env.str("ACCESS_LOG_KEY") or stored_secret(DATA_DIR / "access_log_key")
ACCESS_LOG_KEY_FALLBACKS = env.list("ACCESS_LOG_KEY_FALLBACKS", [])
ACCESS_LOG_ANCHOR_FILE = env.str("ACCESS_LOG_ANCHOR_FILE", "")
# Policy M: the day the first FIELD_ENCRYPTION_KEYS key was made (YYYY-MM-DD), for the
# annual security audit's key-age check; unset, a generated key file's date is used.
FIELD_ENCRYPTION_KEY_CREATED = env.str("FIELD_ENCRYPTION_KEY_CREATED", "")
# Policy M: the annual security audit GETs this public address for its security headers,
# and reads the newest file of the backup folder (empty: those checks warn).
SECURITY_AUDIT_URL = env.str("SECURITY_AUDIT_URL", "")
BACKUP_DIR = env.str("BACKUP_DIR", "")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
# Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges; none by default):
# the client address every lockout, rate limit and count keys on (csce/common/client.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", [])
try:
    trusted_networks_parse(TRUSTED_PROXIES)
except ValueError as error:
    raise ConfigurationError(str(error)) from None

# The one public address of links that leave the request cycle (e-mails, the admin);
# empty or unset, `make run` uses the address it serves on (csce/common/links.py).
SITE_URL = (env.str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "csce.common",
    "csce.audit",
    "csce.accounts",
    "csce.pages",
    "csce.retention",
    "csce.submissions",
    "csce.privacy",
    "csce.analytics",
    "csce.newsletter",
    "csce.incidents",
    "csce.moderation",
    "csce.media",  # before wagtail: its publish_scheduled gates media (policy C)
    "csce.properties",
    "csce.outbox",
    "csce.compliance",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "csce.accounts.apps.StaffUsersConfig",  # wagtail.users with the staff profile fields
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "health_check",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_zxcvbn_password_validator",  # only for its French messages
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csce.common.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in staff member as the actor of access log entries (csce/audit).
    "csce.audit.middleware.AccessLogActorMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Policy C, P2: a publication refused for its media reads as a message in the admin.
    "csce.media.middleware.PublicationRefusalMiddleware",
    # Policy M, S: every session that uses superuser status is logged (break-glass).
    "csce.accounts.middleware.SuperuserUseMiddleware",
    # Policy M: staff sessions end when idle and after a fixed time (csce/common/policy.py).
    "csce.accounts.middleware.SessionTimeoutMiddleware",
    # Policy M: no admin view without a second factor (docs/decisions/0007-mfa.md).
    "csce.accounts.mfa_middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "csce.pages.middleware.AnonymousPageCacheMiddleware",
    # Policy S: the current policy version is acknowledged before any other admin view.
    "csce.accounts.middleware.PolicyAcknowledgementMiddleware",
    # Policy M: the bilingual lockout page after too many failed sign-ins (django-axes).
    "axes.middleware.AxesMiddleware",
    # Remembers the browser that completed a sign-in, for the lockout (decision 0014).
    "csce.accounts.lockout.TrustedDeviceMiddleware",
    # Policy M: an unwritable or unreachable database answers a bilingual 503, not a 500.
    "csce.common.faults.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "csce.urls"
WSGI_APPLICATION = "csce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while the retention job or an editor writes.
    DATABASES["default"]["OPTIONS"] = {
        # secure_delete: a deleted row's bytes are overwritten, not left in a free page
        # (erased personal data, destroyed analytics salts).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA secure_delete=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Connections are kept between requests (CONN_MAX_AGE above), as on PostgreSQL: a new
    # SQLite connection per request runs the PRAGMAs above each time, and while the task
    # worker writes (a newsletter going out) opening one waits on the write-ahead log, so
    # public pages lost most of their throughput (docs/benchmarks.md, newsletter).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: tasks are rows in the database; `manage.py db_worker` runs
# them. Wagtail's own tasks (reference index, renditions) go there too.
# The newsletter's batches have a queue of their own: every worker runs them, side by
# side, while the other tasks (the site's mail, Wagtail's search index and renditions,
# which expect one at a time) are run by the first worker only (`serve`).
NEWSLETTER_TASK_QUEUE = "newsletter"
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", NEWSLETTER_TASK_QUEUE],
    }
}
# Task worker processes: `make run` (`manage.py serve`) starts this many, each at a lower
# CPU priority than the web server (policy M). A worker sending a newsletter waits on the
# mail server after each SMTP command, and a lowered process waits again for a CPU after
# each answer; two workers fill each other's waits (docs/benchmarks.md, newsletter). A
# deployment that runs its workers as services of its own sets the number it runs, so
# that the newsletter's pace is shared among them.
TASK_WORKERS = max(1, env.int("TASK_WORKERS", 2))
# How often the scheduler beside the worker looks for due daily jobs (csce/common/schedule.py).
# Policy C: scheduled pages go live within this many minutes of their time (docs/operations.md).
SCHEDULER_INTERVAL_MINUTES = env.int("SCHEDULER_INTERVAL_MINUTES", 5)

REDIS_URL = env.str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: a stopped or hanging Redis costs speed, never a 500 (policy S).
            "BACKEND": "csce.common.cache_backends.RedisFailOpenCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "csce",
        }
    }
    # Sessions are rows, read through the cache: a Redis restart signs nobody out, and a
    # dead Redis still lets staff sign in.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Shared by every process of one machine, unlike the per-process memory cache.
    CACHES = {
        "default": {
            # Fails open: a full or read-only disk costs speed, never a 500 (policy S).
            "BACKEND": "csce.common.cache_backends.FileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # Django's default (300) culls a third of the entries once a few hundred pages
            # and routes are cached; this holds every page of both languages many times.
            # Nothing that guards access or abuse is kept here (csce/common/guards.py).
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

MEDIA_ROOT = env.path("MEDIA_ROOT", DATA_DIR / "media")
MEDIA_URL = "/media/"
# The embedded default serves image renditions itself; production leaves media to its
# storage or proxy. Original uploads are never served: only resized renditions are.
SERVE_MEDIA = env.bool("SERVE_MEDIA", True)
STATIC_ROOT = env.path("STATIC_ROOT", DATA_DIR / "static")
STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Accounts ---------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Policy M, ASVS 2.1: at least 12 characters, at most 128 (so 64 and more are welcome), not
# in the shipped breach lists (French ones too), and not guessable by zxcvbn knowing those
# lists, the centre's and the user's names, keyboard walks and dates. No forced rotation.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "csce.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "csce.accounts.passwords.CommonListPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "csce.accounts.passwords.StrongPasswordValidator"},
]
# zxcvbn's top score: at least 10^10 guesses, out of reach online and slow offline.
PASSWORD_MINIMAL_STRENGTH = 4
# Lifetimes of the links that set a password: the reset link (Django's default, written
# out) and the staff invitation (csce/accounts/invitations.py), one use each.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
STAFF_INVITATION_SECONDS = 3 * 24 * 60 * 60
# Policy M: nobody types a password for someone else; staff choose theirs through an
# invitation (new accounts) or the reset link (forgotten ones).
WAGTAILUSERS_PASSWORD_ENABLED = False
LOGIN_URL = "wagtailadmin_login"
# Login-restricted pages send staff through the admin sign-in, and so through MFA.
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"
# Password-restricted pages ask for it in the site's own layout, in the visitor's language.
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "pages/password_required.html"  # noqa: S105 (a template)
# Policy S: an account past its end date cannot sign in, and says so on the login form.
AUTHENTICATION_BACKENDS = [
    "csce.accounts.backends.LockoutBackend",
    "csce.accounts.backends.StaffModelBackend",
]
# Policy M, ASVS 2.2: failures lock for a while (csce/common/policy.py), counted per address,
# per username and per both; a browser that completed a sign-in counts per both only
# (decision 0014).
AXES_FAILURE_LIMIT = policy.LOCKOUT_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=policy.LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = "csce.accounts.lockout.lockout_parameters"
# Failures are cleared when the second factor is given (csce/accounts/mfa.py), not at the
# password: else each new password sign-in would give five new guesses at the second factor.
AXES_RESET_ON_SUCCESS = False
# Second-factor codes typed are counted too, never kept.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Never an address at rest: axes stores a keyed pseudonym of it (csce/accounts/lockout.py).
AXES_CLIENT_IP_CALLABLE = "csce.accounts.lockout.client_ip_pseudonym"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_USE_ATTEMPT_EXPIRATION = True
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "csce.accounts.lockout.RateLimitedPasswordResetForm"  # noqa: S105
WAGTAILADMIN_USER_LOGIN_FORM = "csce.accounts.forms.StaffLoginForm"

# Second factors (policy M): TOTP, passkeys/security keys, recovery codes; see 0007-mfa.md.
OTP_TOTP_ISSUER = env.str("SITE_NAME", "CSCE")
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Browsers accept passkeys on HTTPS or on localhost, never on an IP address: the embedded
# default (http://127.0.0.1:8000) offers them at http://localhost:8000.
_site = urlsplit(SITE_URL)
PASSKEY_ORIGIN = (
    SITE_URL if _site.scheme == "https" else SITE_URL.replace(_site.hostname, "localhost", 1)
)
OTP_WEBAUTHN_RP_ID = urlsplit(PASSKEY_ORIGIN).hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = [PASSKEY_ORIGIN]
# A passkey is a second factor after the password, never a way round it (or round axes).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# --- Languages --------------------------------------------------------------------------
# French Language Services Act: French is the default language of the centre.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
# locale_vendor: French for django-otp-webauthn's own strings, which it does not ship, and
# corrections of Wagtail's and wagtail-localize's French (policy P2).
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_vendor"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Toronto"
LANGUAGE_COOKIE_NAME = "csce_language"
# Display formats (« 3 décembre 2026 », « 18 h 30 ») for Django and Wagtail's admin; the
# site's own dates and times go through csce.common.typography.
FORMAT_MODULE_PATH = ["csce.common.formats"]

WAGTAIL_I18N_ENABLED = True
# Policy P2: the admin names the content languages in the reader's language (« Publier en
# anglais », « Traduction de … en anglais »); LANGUAGES keeps each language's own name, for
# the public language switcher and the admin's choice of its own language.
WAGTAIL_CONTENT_LANGUAGES = [
    ("fr", pgettext_lazy("content language", "French")),
    ("en", pgettext_lazy("content language", "English")),
]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
# Policy C: "Translate this page" makes a draft, even of a live page; the translation goes
# live only once approved (csce/pages/services.py), never as a copy of the source's text.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.str("SITE_NAME", "CSCE")
# Wagtail's database backend, stemming French and English on PostgreSQL (docs/search.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "csce.pages.search_backend"}}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no request to a third party from the admin
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # never SVG
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []  # every document downloads as an attachment
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True  # served with its own default-src 'none' CSP
# Policy C: credit, licence, consent and expiry in Wagtail's own image and document forms.
WAGTAILIMAGES_IMAGE_FORM_BASE = "csce.media.forms.ImageRightsForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "csce.media.forms.DocumentRightsForm"
WAGTAILEMBEDS_FINDERS: list[dict] = []  # no oEmbed lookups to third-party hosts
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Ontario spans two time zones; a short list also avoids the system's "localtime" entry.
WAGTAIL_USER_TIME_ZONES = ["America/Toronto", "America/Winnipeg", "UTC"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILSEARCH_HITS_MAX_AGE = 0

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The absolute limit of a staff session; SessionTimeoutMiddleware ends it sooner when idle.
SESSION_COOKIE_AGE = policy.SESSION_ABSOLUTE_HOURS * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The site's own bilingual page, in the visitor's language, instead of Django's English one.
CSRF_FAILURE_VIEW = "csce.pages.views.csrf_failure"
LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The Wagtail admin sets inline style attributes and previews pages in a same-origin
# frame; scripts stay nonce-only there too.
ADMIN_CSP_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
}

PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}

# --- E-mail -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "CSCE <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env.str("EMAIL_HOST", "")
EMAIL_PORT = env.int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", True)
# Seconds the task worker waits for the SMTP server before a try counts as failed.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 10)
# Every message goes to the outbox (csce/outbox) and the task worker delivers it: a slow
# or silent mail server never holds a request (policy M).
EMAIL_BACKEND = "csce.outbox.backends.OutboxBackend"
# An e-mail provider through django-anymail instead of SMTP (docs/decisions/0021): an ESP
# name ("mailgun", "postmark", "brevo"...); empty: SMTP, or the mail folder. Policy F:
# nothing is handed to it until the processors register declares an e-mail processor.
EMAIL_PROVIDER = (env.str("EMAIL_PROVIDER", "") or "").strip().lower()
EMAIL_PROVIDER_API_KEY = env.str("EMAIL_PROVIDER_API_KEY", "")
EMAIL_PROVIDER_SECRET = env.str("EMAIL_PROVIDER_SECRET", "")
EMAIL_PROVIDER_SENDER_DOMAIN = env.str("EMAIL_PROVIDER_SENDER_DOMAIN", "")
EMAIL_PROVIDER_REGION = env.str("EMAIL_PROVIDER_REGION", "")
if EMAIL_PROVIDER:
    OUTBOX_DELIVERY_BACKEND, ANYMAIL = anymail_settings(
        provider=EMAIL_PROVIDER,
        api_key=EMAIL_PROVIDER_API_KEY,
        secret=EMAIL_PROVIDER_SECRET,
        sender_domain=EMAIL_PROVIDER_SENDER_DOMAIN,
        region=EMAIL_PROVIDER_REGION,
    )
elif EMAIL_HOST:
    OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # Embedded default: every outgoing message is written to var/mail/ as a file, a store
    # of personal data purged by the retention job (csce/outbox/registry.py).
    OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
# Tries before a message is marked failed, and the first wait (doubled after each try).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", 60)
# The newsletter's sending address (CASL s.6(2)); empty: DEFAULT_FROM_EMAIL's address.
NEWSLETTER_FROM_EMAIL = env.str("NEWSLETTER_FROM_EMAIL", "")
# Newsletter (csce/newsletter/sending.py): messages sent per task over one SMTP connection,
# and how long a claimed delivery stays another worker's before it is taken again (a
# worker killed while sending: three SMTP timeouts and a minute's margin, as the outbox).
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", 100)
# Messages a second the workers send at most together (0: no limit), so that a campaign
# leaves the web server most of the machine (policy M) and does not burst at the mail
# server; each of the TASK_WORKERS keeps to its share.
NEWSLETTER_MAX_PER_SECOND = env.int("NEWSLETTER_MAX_PER_SECOND", 75)
NEWSLETTER_CLAIM_LEASE_SECONDS = env.int("NEWSLETTER_CLAIM_LEASE_SECONDS", 3 * EMAIL_TIMEOUT + 60)
# The notice refuses to publish while the address is this placeholder (csce/common/notice_rules.py).
PRIVACY_OFFICER_EMAIL_PLACEHOLDER = "privacy@localhost"
PRIVACY_OFFICER_EMAIL = env.str("PRIVACY_OFFICER_EMAIL", PRIVACY_OFFICER_EMAIL_PLACEHOLDER)

# --- Website statistics (csce/analytics, policy P4) ----------------------------------
# Off: no beacon script on the pages and no page view counted.
ANALYTICS_ENABLED = env.bool("ANALYTICS_ENABLED", True)
# Page views wait in memory this long (at most) and are written in one batch.
ANALYTICS_FLUSH_SECONDS = env.float("ANALYTICS_FLUSH_SECONDS", 1.0)
# Beacons one address may send per minute (policy M); more are answered 429, not counted.
# Generous: one network address may be a whole office or school. 0 turns the limit off.
ANALYTICS_BEACONS_PER_MINUTE = env.int("ANALYTICS_BEACONS_PER_MINUTE", 120)
# Query parameters kept in a counted page's address; every other one is dropped (a search
# query, a token, an e-mail address pasted into a link never reach the statistics).
ANALYTICS_QUERY_ALLOWLIST = ("page", "utm_source", "utm_medium", "utm_campaign")
# Days of invented page views the demo loads, so the dashboard has something to show.
ANALYTICS_DEMO_DAYS = 60

# --- Forms and inboxes (csce/submissions) ---------------------------------------------
# An inquiry's first answer is due after this many business days (Ontario calendar).
FIRST_RESPONSE_BUSINESS_DAYS = env.int("FIRST_RESPONSE_BUSINESS_DAYS", 2)
# The address a visitor's answer to a staff reply goes to, per inbox (the role's stable
# English name): "Communications=communications@example.org,Program staff=...". An inbox
# without one gets the centre's general address (centre settings), else DEFAULT_FROM_EMAIL.
INBOX_REPLY_TO = dict(item.split("=", 1) for item in env.list("INBOX_REPLY_TO") if "=" in item)
BUSINESS_DAYS_COUNTRY = "CA"
BUSINESS_DAYS_SUBDIVISION = "ON"
# What is left of a closed item (no personal data) is kept for reports this long.
SUBMISSION_TOMBSTONE_DAYS = 730
# Forms sent from one address in a window before it must wait (spam and abuse).
FORM_RATE_LIMIT = env.int("FORM_RATE_LIMIT", 10)
FORM_RATE_WINDOW_SECONDS = 600
# People need more than a few seconds to fill a form; scripts don't wait. The browser
# tests' server sets 0, so they do not sleep through it.
FORM_MIN_FILL_SECONDS = env.int("FORM_MIN_FILL_SECONDS", 3)
# Files visitors attach: encrypted, outside MEDIA_ROOT, served only by a checked view.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", DATA_DIR / "private")
FORM_UPLOAD_MAX_BYTES = env.int("FORM_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Proof-of-work challenge served from our origin (ALTCHA, docs/decisions/0011).
FORM_CHALLENGE_ENABLED = env.bool("FORM_CHALLENGE_ENABLED", True)
# Work per try (SHA-256 rounds); a solution starts with three zero hex digits (4096 tries).
FORM_CHALLENGE_COST = env.int("FORM_CHALLENGE_COST", 50)
FORM_CHALLENGE_EXPIRES_SECONDS = 4 * 3600
# Forms sent without a solved challenge (JavaScript off) from one address per window.
FORM_CHALLENGE_FALLBACK_LIMIT = env.int("FORM_CHALLENGE_FALLBACK_LIMIT", 3)

# --- Logging: never personal data; errors go to stderr, not by e-mail ----------------------
LOG_LEVEL = env.str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Anonymous visitors' pages and the sitemap are served from the cache for this long at
# most; any publish starts a new cache generation at once. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", 300)

SHORT_LANGUAGE_NAMES = {"fr": _("French"), "en": _("English")}
