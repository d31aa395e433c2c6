"""Search index writes. Only these tasks write to the index, so the queue's
worker is the one writer Whoosh needs."""

from django.apps import apps
from django_tasks import task
from haystack import connections
from haystack.exceptions import NotHandled

from support_portal.pagecache import page_cache_invalidate

from .selectors import PAGE_CACHE

INDEXED_MODELS = ("knowledge.article", "knowledge.faqentry", "knowledge.glossaryterm")


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
