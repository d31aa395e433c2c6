"""Test settings: the real settings, with what tests need changed."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from support_portal.settings import *  # noqa: F403
from support_portal.settings import HAYSTACK_CONNECTIONS, STORAGES

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
