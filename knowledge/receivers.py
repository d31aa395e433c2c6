"""Keep derived data in step with content: the search index and the caches,
the signal-driven writes the style guide allows. Every change is acted on
after commit: index writes are queued as a task that re-reads the row (see
knowledge.tasks), and cached pages are made stale."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from support_portal.pagecache import page_cache_invalidate

from .models import Announcement, Article, Category, FaqEntry, GlossaryTerm
from .selectors import GLOSSARY_CACHE, PAGE_CACHE
from .tasks import search_index_update

INDEXED = (Article, FaqEntry, GlossaryTerm)
SHOWN_ON_PAGES = (Article, FaqEntry, GlossaryTerm, Category, Announcement)


def enqueue_index_update(instance) -> None:
    transaction.on_commit(
        partial(search_index_update.enqueue, model=instance._meta.label_lower, pk=instance.pk)
    )


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or sender not in SHOWN_ON_PAGES:
        return
    if sender in INDEXED:
        enqueue_index_update(instance)
    # After commit, so no request can re-cache the old rows under the new
    # generation. The index task bumps again once the index has the change.
    transaction.on_commit(partial(page_cache_invalidate, PAGE_CACHE))
    if sender is GlossaryTerm:
        transaction.on_commit(partial(page_cache_invalidate, GLOSSARY_CACHE))
