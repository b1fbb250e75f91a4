"""Development profile: the embedded default (SQLite, local files, debug pages)."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("QINGSHEN_DEBUG", True)

# Static files straight from the app folders and node_modules, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise expects it to exist)
