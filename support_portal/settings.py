"""Settings for support_portal.

One module, configured from the environment (django-environ). The defaults are
the embedded setup: SQLite and Whoosh under var/, local-memory cache, the
database task queue and console e-mail, so nothing has to be started. Production
changes URLs, never this file. Every variable is documented in .env.example.
"""

from pathlib import Path
from typing import Any, Literal

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="dev-insecure-key-only-for-local-use" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env("SITE_NAME", default="Exchange Help Centre")
SITE_ID = 1

INSTALLED_APPS = [
    "support_portal.apps.PortalAdminConfig",  # django.contrib.admin, our site class
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "haystack",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Ours
    "support_portal",
    "support_portal.accounts",
    "knowledge",
    "tickets",
    "selfservice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the user's saved preference wins over the session.
    "support_portal.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware, but writing at most every 5 minutes.
    "support_portal.middleware.UserSessionActivityMiddleware",
    "support_portal.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "support_portal.urls"
WSGI_APPLICATION = "support_portal.wsgi.application"
ASGI_APPLICATION = "support_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "support_portal.context_processors.portal",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
    # at BEGIN so concurrent writers queue on the busy timeout instead of
    # failing with "database is locked" when a read transaction upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
        }
    )
# Persistent connections on SQLite too: opening one costs a connect and the
# PRAGMAs, and closing the last one checkpoints and removes the WAL file, on
# every request otherwise.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Cache and sessions
# ---------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://support-portal")}
CACHE_IS_SHARED = CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"
# With a shared cache (Redis) sessions are read from it and written through to
# the database, so a cache flush logs nobody out.
SESSION_ENGINE = env(
    "SESSION_ENGINE",
    default=(
        "django.contrib.sessions.backends.cached_db"
        if CACHE_IS_SHARED
        else "django.contrib.sessions.backends.db"
    ),
)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)

# ---------------------------------------------------------------------------
# Background tasks (django-tasks, the backport of Django 6's django.tasks)
# ---------------------------------------------------------------------------
TASK_QUEUE_URL = env("TASK_QUEUE_URL", default="database://")
if TASK_QUEUE_URL.startswith(("redis://", "rediss://")):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": TASK_QUEUE_URL, "DEFAULT_TIMEOUT": 300}}
elif TASK_QUEUE_URL == "immediate://":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASK_QUEUE_URL == "database://":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise environ.ImproperlyConfigured(
        f"TASK_QUEUE_URL must be database://, immediate:// or redis://…, not {TASK_QUEUE_URL!r}"
    )

# ---------------------------------------------------------------------------
# Search (django-haystack)
# ---------------------------------------------------------------------------
HAYSTACK_CONNECTIONS = {
    "default": env.search_url("SEARCH_URL", default=f"whoosh://{VAR_DIR / 'whoosh'}"),
}
if HAYSTACK_CONNECTIONS["default"]["ENGINE"] == "haystack.backends.whoosh_backend.WhooshEngine":
    # Same Whoosh, with an analyzer that splits Chinese, Japanese and Korean
    # into searchable bigrams (Whoosh's default keeps a whole CJK run as one token).
    HAYSTACK_CONNECTIONS["default"]["ENGINE"] = "knowledge.search.backend.CJKWhooshEngine"
# Index updates are queued as tasks by our own receivers (one writer, drafts
# removed), so haystack's own signal processor stays the no-op base class.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 10

# ---------------------------------------------------------------------------
# Accounts (django-allauth 65.x)
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "support_portal.accounts.adapter.AccountAdapter"
ACCOUNT_ALLOW_SIGNUP = env.bool("ACCOUNT_ALLOW_SIGNUP", default=True)
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    # Per IP and per e-mail address: slows credential stuffing and guessing.
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "reset_password": env("RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,3/5m/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="20/m/ip"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_RECOVERY_CODE_COUNT = 10
# Staff (agents, editors, supervisors) must enrol TOTP before they can work.
# Only the local demo turns this off (make run), so its accounts log straight in.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
USERSESSIONS_TRACK_ACTIVITY = True

# ---------------------------------------------------------------------------
# Internationalisation
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("ru", "Русский"),
    ("es", "Español"),
    ("pt", "Português"),
    ("vi", "Tiếng Việt"),
    ("tr", "Türkçe"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
]
# The languages whose UI is fully translated; the others fall back to English
# for interface text while content can still exist in them.
FULLY_TRANSLATED_LANGUAGES = ["en", "zh-hans"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE: Literal["Lax", "Strict", "None"] = "Lax"

# ---------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------
# consolemail:// (default), filemail:///path, or smtp+tls://user:pass@host:587
_email = env.email("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Support <support@example.com>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Listed in the site footer so users can tell official channels from fakes.
OFFICIAL_CHANNELS = {
    "website": env("OFFICIAL_WEBSITE", default="https://www.example-exchange.com"),
    "email": env("OFFICIAL_SUPPORT_EMAIL", default="support@example-exchange.com"),
    "telegram": env("OFFICIAL_TELEGRAM", default="@ExampleExchange"),
    "x": env("OFFICIAL_X", default="@ExampleExchange"),
}

# ---------------------------------------------------------------------------
# REST API
# ---------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "240/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "support_portal API",
    "DESCRIPTION": "Help-centre search, tickets and self-service tools.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from our own static files: no CDN, and the CSP stays strict.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status", "kind" or "channel"; name their enums.
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "TicketChannelEnum": "tickets.models.Ticket.Channel",
        "ArticleKindEnum": "knowledge.models.Article.Kind",
    },
}

# ---------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# No inline scripts anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The admin and allauth's MFA pages set style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# ---------------------------------------------------------------------------
# Logging: no personal data (e-mails, IPs, UIDs) in messages we write.
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines carry e-mails in query strings (password reset, lookups).
        "django.server": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------
# Knowledge base
# ---------------------------------------------------------------------------
# Published articles are due for an editor's review this many days after
# publishing or their last review.
KNOWLEDGE_REVIEW_INTERVAL_DAYS = env.int("KNOWLEDGE_REVIEW_INTERVAL_DAYS", default=180)
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    # Per user, or per IP for anonymous readers.
    "kb_feedback": env("RATE_LIMIT_KB_FEEDBACK", default="10/hour"),
}

# ---------------------------------------------------------------------------
# Tickets
# ---------------------------------------------------------------------------
# Links in ticket e-mails use the Site's domain with this scheme.
TICKETS_LINK_SCHEME = env("TICKETS_LINK_SCHEME", default="http" if DEBUG else "https")
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    # Ticket creation, counted per user and separately per client IP.
    "tickets_create_user": env("RATE_LIMIT_TICKETS_CREATE_USER", default="10/hour"),
    "tickets_create_ip": env("RATE_LIMIT_TICKETS_CREATE_IP", default="30/hour"),
}

# ---------------------------------------------------------------------------
# Self-service
# ---------------------------------------------------------------------------
# Shared secret for the exchange's signed webhooks, both directions. The local
# default only works with DEBUG; production must set its own.
EXCHANGE_WEBHOOK_SECRET = env(
    "EXCHANGE_WEBHOOK_SECRET",
    default="dev-insecure-webhook-secret" if DEBUG else "",
)
# Signed timestamps further than this from our clock are refused (replays).
EXCHANGE_WEBHOOK_TOLERANCE_SECONDS = env.int("EXCHANGE_WEBHOOK_TOLERANCE_SECONDS", default=300)
# Where account.freeze_requested and other portal → exchange events go.
EXCHANGE_WEBHOOK_URL = env("EXCHANGE_WEBHOOK_URL", default="http://127.0.0.1:8765/exchange/events")
EXCHANGE_WEBHOOK_TIMEOUT = env.float("EXCHANGE_WEBHOOK_TIMEOUT", default=5.0)
# Retries back off exponentially (base * 2^n, capped) until the exchange answers 2xx.
EXCHANGE_WEBHOOK_MAX_ATTEMPTS = env.int("EXCHANGE_WEBHOOK_MAX_ATTEMPTS", default=20)
EXCHANGE_WEBHOOK_BACKOFF_SECONDS = env.int("EXCHANGE_WEBHOOK_BACKOFF_SECONDS", default=30)
EXCHANGE_WEBHOOK_BACKOFF_MAX_SECONDS = env.int("EXCHANGE_WEBHOOK_BACKOFF_MAX_SECONDS", default=3600)
# Chain-data providers (Esplora, EVM JSON-RPC): per-request timeouts in seconds.
CHAIN_PROVIDER_CONNECT_TIMEOUT = env.float("CHAIN_PROVIDER_CONNECT_TIMEOUT", default=3.0)
CHAIN_PROVIDER_READ_TIMEOUT = env.float("CHAIN_PROVIDER_READ_TIMEOUT", default=6.0)
# The demo points its chain providers at the replay server that `make run` starts.
CHAIN_REPLAY_URL = env(
    "CHAIN_REPLAY_URL", default=f"http://127.0.0.1:{env.int('CHAIN_REPLAY_PORT', default=8765)}"
)
# Locked-out freeze links stay valid this long.
SELFSERVICE_FREEZE_LINK_MAX_AGE = env.int("SELFSERVICE_FREEZE_LINK_MAX_AGE", default=60 * 60)
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "selfservice_trace": env("RATE_LIMIT_DEPOSIT_TRACE", default="20/min"),
    "selfservice_verify": env("RATE_LIMIT_VERIFY_CHANNEL", default="30/min"),
}
# Locked-out freeze requests: per client IP and per e-mail address.
SELFSERVICE_FREEZE_RATE_LIMIT = env("RATE_LIMIT_FREEZE_REQUEST", default="5/h")
