"""Search index writes. Only these tasks write to the index, so the queue's
worker is the one writer Whoosh needs."""

import datetime

from django.apps import apps
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task
from haystack import connections
from haystack.exceptions import NotHandled

from support_portal.pagecache import page_cache_invalidate
from support_portal.periodic import periodic

from .selectors import PAGE_CACHE, articles_scheduled_due
from .services import search_log_flush

INDEXED_MODELS = ("knowledge.article", "knowledge.faqentry", "knowledge.glossaryterm")
SCHEDULED_EVERY = datetime.timedelta(minutes=2)
# Without a record of the last run (first run, cache flushed), look back this
# far; search_index_verify --repair catches anything older.
SCHEDULED_LOOKBACK = datetime.timedelta(days=1)
_LAST_RUN_KEY = "knowledge:scheduled-publish:last-run"
SEARCH_LOG_EVERY = datetime.timedelta(minutes=1)


@task(queue_name="default")
def search_index_update(*, model: str, pk: int) -> str:
    """Re-read the row: index it if readers may see it, else remove it. The
    task decides from the database, never from what was enqueued, so a late
    or repeated task cannot resurrect a draft. Cached pages and search
    results are made stale once the index has the change."""
    model_class = apps.get_model(model)
    try:
        index = connections["default"].get_unified_index().get_index(model_class)
    except NotHandled:
        return "not-indexed"
    backend = connections["default"].get_backend()
    obj = index.index_queryset().filter(pk=pk).first()
    if obj is None:
        backend.remove(f"{model_class._meta.label_lower}.{pk}")
        outcome = "removed"
    else:
        backend.update(index, [obj])
        outcome = "updated"
    page_cache_invalidate(PAGE_CACHE)
    return outcome


@periodic(every=SCHEDULED_EVERY)
@task(queue_name="default")
def search_index_publish_due() -> int:
    """Index scheduled articles whose publish time has come since the last
    run, and make cached pages stale so readers see them. Saving a scheduled
    article removed it from the index (not yet visible); nothing else happens
    when its time comes. Returns how many were indexed."""
    now = timezone.now()
    last_run = cache.get(_LAST_RUN_KEY)
    # Overlap one interval: a run that started late or a slow clock loses nothing.
    since = (
        datetime.datetime.fromisoformat(last_run) - SCHEDULED_EVERY
        if last_run
        else now - SCHEDULED_LOOKBACK
    )
    due = articles_scheduled_due(since=since, until=now)
    for pk in due:
        search_index_update.call(model="knowledge.article", pk=pk)
    if due:
        page_cache_invalidate(PAGE_CACHE)
    cache.set(_LAST_RUN_KEY, now.isoformat(), timeout=None)
    return len(due)


@periodic(every=SEARCH_LOG_EVERY)
@task(queue_name="default")
def search_log_flush_pending() -> int:
    """Write the searches and clicks this process has buffered. Web processes
    also flush their own buffers as searches come in (see
    knowledge.services.search_log_record)."""
    return search_log_flush()
