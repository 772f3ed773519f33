"""Production: HTTPS behind a proxy, PostgreSQL, Redis. Secrets come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# Several app processes must share one key: production never generates its own.
if not env.str("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
# The same for the key that signs the access log: every node must sign with the same one.
if not env.str("ACCESS_LOG_KEY"):
    raise ImproperlyConfigured("ACCESS_LOG_KEY must be set in the environment in production.")
# And for the keys of personal data at rest: a node with its own key could not read the rest.
for _name in ("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"):
    if not env.str(_name):
        raise ImproperlyConfigured(f"{_name} must be set in the environment in production.")

SERVE_MEDIA = env.bool("SERVE_MEDIA", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The directive only allows a submission to the preload list; nobody is enrolled by it.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
