"""Liveness of the services the portal depends on, for /healthz."""

import logging
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("cache did not return what was written")
    finally:
        cache.delete(key)


def check_search() -> None:
    from haystack import connections

    conn = settings.HAYSTACK_CONNECTIONS["default"]
    if "whoosh" in conn["ENGINE"].lower():
        path = Path(conn["PATH"])
        if not path.is_dir():
            raise RuntimeError("the search index has not been built")
        backend = connections["default"].get_backend()
        backend.setup()
        # Opening a searcher reads the index's table of contents: a corrupt
        # or half-written index fails here rather than on a user's query.
        with backend.index.searcher():
            pass
        return
    backend = connections["default"].get_backend()
    if hasattr(backend, "conn") and hasattr(backend.conn, "ping"):
        if not backend.conn.ping():
            raise RuntimeError("the search server did not answer")
    else:
        backend.search("*", end_offset=1)


def check_tasks() -> None:
    from django_tasks import default_task_backend

    name = type(default_task_backend).__name__
    if name == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    elif name == "RQBackend":
        import django_rq

        django_rq.get_connection("default").ping()
    # The immediate backend runs tasks in-process and cannot be down.


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "search": check_search,
    "tasks": check_tasks,
}


def service_health() -> dict[str, str]:
    """Run every check; each reports "ok" or "error" without internals."""
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("health check %s failed", name)
            report[name] = "error"
        else:
            report[name] = "ok"
    return report
