"""Test profile: the base settings plus a cheaper Argon2 (still Argon2), immediate tasks and
temporary file storage.

The database comes from DATABASE_URL like everywhere else; unset, the suite runs on SQLite.
"""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["qingshen.accounts.hashers.FastArgon2PasswordHasher"]
# Uploaded and generated files of a test run live in a temporary folder removed at exit.
TEST_FILES = tempfile.mkdtemp(prefix="qingshen-test-files-")
atexit.register(shutil.rmtree, TEST_FILES, ignore_errors=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": TEST_FILES}},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
# Expected 403/404 responses are the point of many tests; keep their tracebacks out of the output.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "django.request": {"level": "ERROR"}}}  # noqa: F405
