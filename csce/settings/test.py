"""Settings for the test suite: the real database named by DATABASE_URL (SQLite by default)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, NEWSLETTER_TASK_QUEUE, REDIS_URL, env

DEBUG = False
_TMP = Path(tempfile.mkdtemp(prefix="csce-test-"))
MEDIA_ROOT = _TMP / "media"
# Never var/private: the retention job deletes blobs that the test database does not name.
PRIVATE_MEDIA_ROOT = _TMP / "private"
STATIC_ROOT = _TMP / "static"
# Messages go through the outbox; the immediate task backend delivers them to Django's
# test outbox at once. The stalled-server tests use the database task backend instead.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test.sqlite3")}
ALLOWED_HOSTS = ["*"]
# Argon2 costs a quarter of a second per password, hundreds of times a run; the tests of
# the hashing itself use base.PASSWORD_HASHERS, and the browser tests' server (dev) too.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Query budgets measure rendering; tests of the page cache turn it on themselves.
PAGE_CACHE_SECONDS = 0
SECRET_KEY = env.str("SECRET_KEY") or "test-only-secret-key-not-used-anywhere-else-0123456789"
FIELD_ENCRYPTION_KEYS = ["test-only-field-key-0123456789abcdefghijklmnopqrstuvwxyz"]
BLIND_INDEX_KEY = "test-only-blind-index-key-0123456789abcdefghijklmnopqrstuvwxyz"
ACCESS_LOG_KEY = env.str("ACCESS_LOG_KEY") or "test-only-access-log-key-0123456789abcdefghijkl"
# Tasks run at once, inside the test; a test that needs the queue sets the database backend.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", NEWSLETTER_TASK_QUEUE],
    }
}
# Page views are written at once, so a test can read them back.
ANALYTICS_FLUSH_SECONDS = 0
# The shared demo database holds no invented statistics: each test seeds its own.
ANALYTICS_DEMO_DAYS = 0
# A configured centre: the privacy notice refuses to publish with the placeholder address;
# the tests of that refusal set the placeholder back.
PRIVACY_OFFICER_EMAIL = env.str("PRIVACY_OFFICER_EMAIL") or "vie.privee@csce.example"
# Tests post forms as a browser without JavaScript would; the challenge tests turn it on.
FORM_CHALLENGE_ENABLED = False
