"""Test settings: the real settings, with what tests need changed."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from support_portal.settings import *  # noqa: F403
from support_portal.settings import DATABASES, HAYSTACK_CONNECTIONS, STORAGES

DEBUG = False
ALLOWED_HOSTS = ["*"]
# Tasks run in-process, right where they are enqueued (after commit).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The test client and the browser tests talk plain http to 127.0.0.1.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
STAFF_MFA_REQUIRED = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="support-portal-media-")
if "whoosh" in HAYSTACK_CONNECTIONS["default"]["ENGINE"].lower():
    # A private index per test run; conftest clears it between tests.
    HAYSTACK_CONNECTIONS["default"]["PATH"] = tempfile.mkdtemp(prefix="support-portal-whoosh-")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not pytest-django's in-memory default: the concurrency tests open
    # one connection per thread, and only a file gives them WAL and the busy
    # timeout instead of shared-cache "table is locked" errors.
    _sqlite_dir = tempfile.mkdtemp(prefix="support-portal-db-")
    atexit.register(shutil.rmtree, _sqlite_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_sqlite_dir, "test.sqlite3")}
