"""Cache invalidation only (STYLE.md §7): no workflow runs from a signal."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .config import setup_invalidate
from .models import PriorityRule, SLAPolicy, Team


@receiver([post_save, post_delete], sender=Team)
@receiver([post_save, post_delete], sender=SLAPolicy)
@receiver([post_save, post_delete], sender=PriorityRule)
def setup_changed(**kwargs) -> None:
    # Now, so this process sees its own edit; and after the commit, because
    # another process may have reloaded the old rows in between.
    setup_invalidate()
    transaction.on_commit(setup_invalidate, using=kwargs.get("using"))
