"""Settings are built from the environment: each variable is read in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from support_portal.checks import embedded_backends_in_production

# Overriding DATABASES is safe here: the check only reads the setting.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable the settings read that a test here might set; the child
# process starts without them so the developer's shell cannot leak in.
_CONTROLLED = (
    "DATABASE_URL",
    "CACHE_URL",
    "SESSION_ENGINE",
    "TASK_QUEUE_URL",
    "SEARCH_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
)


def _settings_in_subprocess(expression: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Import support_portal.settings with `environ` and print `expression` as JSON."""
    env = {k: v for k, v in os.environ.items() if k not in _CONTROLLED}
    env.update(
        DJANGO_SETTINGS_MODULE="support_portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="settings-test-key-" + "y" * 40,
    )
    env.update(environ)
    env = {k: v for k, v in env.items() if v is not None}
    code = (
        "import json, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        f"print(json.dumps({expression}, default=str))\n"
    )
    return subprocess.run(  # noqa: S603 (our own interpreter and fixed code)
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _value(expression: str, **environ: str):
    result = _settings_in_subprocess(expression, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_default_database_is_sqlite_under_var_with_wal_and_immediate_transactions():
    database = _value('settings.DATABASES["default"]', DATABASE_URL=None)

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == BASE_DIR / "var" / "db.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] > 0
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_sqlite_busy_timeout_comes_from_the_environment():
    database = _value('settings.DATABASES["default"]', DATABASE_URL=None, SQLITE_BUSY_TIMEOUT="7")

    assert database["OPTIONS"]["timeout"] == 7


def test_file_sqlite_connection_runs_in_wal_mode(tmp_path):
    database_file = tmp_path / "nested" / "portal.sqlite3"
    expression = (
        "(lambda c: (c.execute('PRAGMA journal_mode'), c.fetchone()[0])[1])"
        "(__import__('django.db', fromlist=['connection']).connection.cursor())"
    )

    journal_mode = _value(expression, DATABASE_URL=f"sqlite:///{database_file}")

    assert journal_mode == "wal"
    # The settings create the parent directory of a file database.
    assert database_file.exists()


def test_postgres_database_url_switches_engine_and_keeps_connections():
    database = _value(
        'settings.DATABASES["default"]',
        DATABASE_URL="postgres://portal:secret@db.internal:5432/portal",
    )

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db.internal"
    assert database["NAME"] == "portal"
    assert database["CONN_HEALTH_CHECKS"] is True
    # SQLite-only options must not reach the PostgreSQL driver.
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_default_cache_is_local_memory_with_database_sessions():
    cache, session_engine = _value("[settings.CACHES['default'], settings.SESSION_ENGINE]")

    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert session_engine == "django.contrib.sessions.backends.db"


def test_redis_cache_url_selects_djangos_redis_cache_and_cached_db_sessions():
    cache, session_engine = _value(
        "[settings.CACHES['default'], settings.SESSION_ENGINE]",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert session_engine == "django.contrib.sessions.backends.cached_db"


def test_default_task_queue_is_the_database_backend():
    tasks = _value("settings.TASKS", TASK_QUEUE_URL=None)

    assert tasks["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_redis_task_queue_url_selects_rq_backend():
    tasks, queues, apps = _value(
        "[settings.TASKS, settings.RQ_QUEUES, settings.INSTALLED_APPS]",
        TASK_QUEUE_URL="redis://127.0.0.1:6379/2",
    )

    assert tasks["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert queues["default"]["URL"] == "redis://127.0.0.1:6379/2"
    assert "django_tasks_rq" in apps


def test_unknown_task_queue_url_fails_with_a_clear_message():
    result = _settings_in_subprocess("settings.TASKS", TASK_QUEUE_URL="amqp://rabbit:5672/")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "TASK_QUEUE_URL must be database://, immediate:// or redis://" in result.stderr
    assert "amqp://rabbit:5672/" in result.stderr


def test_missing_secret_key_with_debug_off_fails_clearly():
    result = _settings_in_subprocess("settings.SECRET_KEY", DJANGO_SECRET_KEY=None)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_missing_secret_key_with_debug_on_uses_the_development_key():
    secret_key = _value("settings.SECRET_KEY", DJANGO_SECRET_KEY=None, DJANGO_DEBUG="1")

    assert secret_key.startswith("dev-insecure")


SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"}}
POSTGRES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "portal"}}
WHOOSH = {"default": {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "PATH": "x"}}
ELASTIC = {
    "default": {
        "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
        "URL": "http://127.0.0.1:9200/",
        "INDEX_NAME": "support",
    }
}


def _ids(warnings) -> set[str]:
    return {warning.id for warning in warnings}


@override_settings(DEBUG=False, DATABASES=SQLITE, HAYSTACK_CONNECTIONS=WHOOSH)
def test_deploy_check_warns_about_sqlite_and_whoosh_with_debug_off():
    assert _ids(embedded_backends_in_production(None)) == {
        "support_portal.W001",
        "support_portal.W002",
    }


@override_settings(DEBUG=False, DATABASES=POSTGRES, HAYSTACK_CONNECTIONS=WHOOSH)
def test_deploy_check_warns_only_about_whoosh_on_postgres():
    assert _ids(embedded_backends_in_production(None)) == {"support_portal.W002"}


@override_settings(DEBUG=False, DATABASES=SQLITE, HAYSTACK_CONNECTIONS=ELASTIC)
def test_deploy_check_warns_only_about_sqlite_with_elasticsearch():
    assert _ids(embedded_backends_in_production(None)) == {"support_portal.W001"}


@override_settings(DEBUG=False, DATABASES=POSTGRES, HAYSTACK_CONNECTIONS=ELASTIC)
def test_deploy_check_is_silent_for_production_backends():
    assert embedded_backends_in_production(None) == []


@override_settings(DEBUG=True, DATABASES=SQLITE, HAYSTACK_CONNECTIONS=WHOOSH)
def test_deploy_check_is_silent_while_debugging():
    assert embedded_backends_in_production(None) == []


def test_deploy_check_is_registered_with_check_deploy():
    from django.core.checks import registry

    assert embedded_backends_in_production in registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert embedded_backends_in_production not in registry.registry.get_checks()


@pytest.mark.parametrize(("secret", "warned"), [("", True), ("short", True), ("x" * 48, False)])
def test_deploy_check_wants_a_long_exchange_webhook_secret(settings, secret, warned):
    from support_portal.checks import exchange_webhook_secret

    settings.DEBUG = False
    settings.EXCHANGE_WEBHOOK_SECRET = secret

    ids = [warning.id for warning in exchange_webhook_secret(None)]

    assert ids == (["support_portal.W003"] if warned else [])
