"""Settings for benchmark runs: production-like (DEBUG off), on this machine.

The database and index paths come from DATABASE_URL and SEARCH_URL, which the
benchmark scripts point at a scratch directory. Tasks follow TASK_QUEUE_URL like
everywhere else (the harness picks the database queue, as the embedded default
runs), so a request pays for enqueuing its tasks, not for running them.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

from support_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Plain http on loopback: no redirect to https, cookies without Secure.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
SILENCED_SYSTEM_CHECKS = ["support_portal.W001", "support_portal.W002"]
# Static files straight from the source folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
