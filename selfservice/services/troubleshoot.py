"""Troubleshooter walks: anonymous analytics of the path customers take."""

import secrets

from django.db import transaction

from ..models import Answer, Tree, Walk

MAX_PATH = 100  # a walk that loops longer than this stops growing


def walk_start(*, tree: Tree, first_step_id: int) -> Walk:
    """Open a walk at the tree's first step, under a fresh random token."""
    return Walk.objects.create(
        token=secrets.token_urlsafe(16)[:32], tree=tree, path=[first_step_id]
    )


def _outcome(answer: Answer) -> str:
    if answer.next_step_id:
        return Walk.Outcome.IN_PROGRESS
    if answer.article_slug:
        return Walk.Outcome.ARTICLE
    if answer.tool:
        return Walk.Outcome.TOOL
    return Walk.Outcome.TICKET


@transaction.atomic
def walk_answer(*, token: str, answer: Answer) -> Walk | None:
    """Record an answer in its walk: the next step joins the path, or the walk ends.

    An unknown token (bookmarked link, expired walk) records nothing: the
    customer still gets where the answer leads.
    """
    walk = (
        Walk.objects.select_for_update()
        .filter(token=token[:32], tree_id=answer.step.tree_id)
        .first()
        if token
        else None
    )
    if walk is None:
        return None
    path = list(walk.path)
    if not path or path[-1] != answer.step_id:
        path.append(answer.step_id)  # the customer went back and answered again
    if answer.next_step_id:
        path.append(answer.next_step_id)
    walk.path = path[-MAX_PATH:]
    walk.outcome = _outcome(answer)
    walk.save(update_fields=["path", "outcome", "updated_at"])
    return walk
