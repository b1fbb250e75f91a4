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
# On SQLite the test database is a file in that folder, not Django's shared in-memory database:
# a browser test's live server and the test (or two requests of one page) write at the same
# time, and an in-memory database refuses the second writer at once ("database table is
# locked", a lost session) where a file makes it wait, as in production. WAL lets readers go on
# while one writes; durability does not matter for a database thrown away at exit.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"{TEST_FILES}/test.sqlite3"}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"  # noqa: F405
