"""Keep the search index in step with content: the one signal-driven write
the style guide allows. Every change is queued after commit as a task that
re-reads the row (see knowledge.tasks)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Article, FaqEntry, GlossaryTerm
from .tasks import search_index_update

INDEXED = (Article, FaqEntry, GlossaryTerm)


def enqueue_index_update(instance) -> None:
    transaction.on_commit(
        partial(search_index_update.enqueue, model=instance._meta.label_lower, pk=instance.pk)
    )


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, instance, **kwargs) -> None:
    if sender in INDEXED and not kwargs.get("raw"):
        enqueue_index_update(instance)
