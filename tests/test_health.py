"""/healthz: 200 when every dependency answers, 503 naming the one that doesn't."""

import socket

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from haystack import connections as haystack_connections

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"
LIVE_REDIS = ("127.0.0.1", 6379)
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def search_index():
    """An empty but built Whoosh index in the private test directory."""
    call_command("clear_index", interactive=False, verbosity=0)


@pytest.fixture
def haystack_path(settings):
    """Point the Whoosh connection at another directory, for this test only.

    haystack caches the backend per thread, built from the settings of the
    moment, so the cached one is dropped when the path changes and again after
    the test (it is rebuilt lazily, from the restored settings).
    """
    cached = haystack_connections.thread_local.__dict__.setdefault("connections", {})

    def point_at(path) -> None:
        default = {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)}
        settings.HAYSTACK_CONNECTIONS = {"default": default}
        cached.pop("default", None)

    yield point_at
    cached.pop("default", None)


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(LIVE_REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def _assert_no_internals(response) -> None:
    text = response.content.decode()
    assert "Traceback" not in text
    assert "Error" not in text  # exception class names such as ConnectionError
    assert "127.0.0.1" not in text


def test_healthz_reports_every_component_ok(client, search_index):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "search": "ok", "tasks": "ok"},
    }


def test_healthz_is_never_cached(client, search_index):
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_post(client, search_index):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405


def test_healthz_reports_missing_search_index_as_503(client, tmp_path, haystack_path):
    haystack_path(tmp_path / "never-built")

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["search"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    _assert_no_internals(response)


def test_healthz_reports_corrupt_search_index_as_503(client, tmp_path, haystack_path):
    index_dir = tmp_path / "corrupt"
    index_dir.mkdir()
    # A table of contents that is not one: opening a searcher must fail.
    (index_dir / "_MAIN_1.toc").write_bytes(b"not a whoosh table of contents")
    haystack_path(index_dir)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"]["search"] == "error"
    _assert_no_internals(response)


def test_healthz_reports_unreachable_cache_as_503(client, search_index):
    with override_settings(CACHES={"default": {"BACKEND": REDIS_CACHE, "LOCATION": DEAD_REDIS}}):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body == {
        "status": "error",
        "checks": {"database": "ok", "cache": "error", "search": "ok", "tasks": "ok"},
    }
    _assert_no_internals(response)


def test_healthz_checks_the_database_task_queue(client, search_index):
    database_tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=database_tasks):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"]["tasks"] == "ok"


def test_healthz_with_real_redis_cache(client, search_index):
    if not _redis_reachable():
        pytest.skip("Redis is not listening on 127.0.0.1:6379")
    location = "redis://127.0.0.1:6379/15"
    with override_settings(CACHES={"default": {"BACKEND": REDIS_CACHE, "LOCATION": location}}):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"


def test_favicon_points_at_the_logo(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/logo.svg")
