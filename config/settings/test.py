"""Settings for the test suite: fast hashing, tasks run inline unless a test says otherwise."""

import os

# The development settings, so the suite also covers the data generators (renkei.devdata).
from .development import *  # noqa: F403
from .development import DATABASES, TASKS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS["default"] = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}

# Connections close after each request: a live-server thread's kept connection would otherwise
# hold the test database open when pytest drops it ("is being accessed by other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Two checkouts can run the suite on one PostgreSQL at once when each names its own test
# database (`make test-postgres` derives one from the checkout's path); pytest-xdist appends
# _gw0, _gw1 … per worker.
if os.environ.get("RENKEI_TEST_DATABASE"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["RENKEI_TEST_DATABASE"]
