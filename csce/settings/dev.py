"""The embedded default that `make run` serves: SQLite and var/ on one machine, over HTTP."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", False)
