"""The embedded default that `make run` serves: SQLite and var/ on one machine, over HTTP."""

from csce.env import generated_secret

from .base import *  # noqa: F403
from .base import (
    ACCESS_LOG_KEY,
    BLIND_INDEX_KEY,
    DATA_DIR,
    FIELD_ENCRYPTION_KEYS,
    SECRET_KEY,
    env,
)

DEBUG = env.bool("DEBUG", False)
# A fresh clone needs no configuration: the first start generates each missing key in
# DATA_DIR (mode 0600) and later starts read it back. Production never does this.
SECRET_KEY = SECRET_KEY or generated_secret(DATA_DIR / "secret_key")
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [
    generated_secret(DATA_DIR / "field_encryption_key")
]
BLIND_INDEX_KEY = BLIND_INDEX_KEY or generated_secret(DATA_DIR / "blind_index_key")
ACCESS_LOG_KEY = ACCESS_LOG_KEY or generated_secret(DATA_DIR / "access_log_key")
