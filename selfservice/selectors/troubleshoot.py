"""Troubleshooters for customers (published, in their language) and drop-off for editors."""

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from ..models import Answer, Step, Tree, Walk

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def troubleshooters_for(*, language: str) -> list[Tree]:
    """One published tree per translation key: in the language, else the default language."""
    trees = Tree.objects.filter(
        is_published=True, language__in={language, settings.LANGUAGE_CODE}
    ).order_by("position", "title")
    chosen: dict[str, Tree] = {}
    for tree in trees:
        current = chosen.get(tree.translation_key)
        if current is None or (tree.language == language and current.language != language):
            chosen[tree.translation_key] = tree
    return sorted(chosen.values(), key=lambda t: (t.position, t.title))


def troubleshooter_get(*, slug: str, language: str) -> Tree:
    """The published tree with this slug, preferring the customer's language; else 404."""
    trees = {t.language: t for t in Tree.objects.filter(slug=slug, is_published=True)}
    tree = trees.get(language) or trees.get(settings.LANGUAGE_CODE)
    if tree is None and trees:
        tree = next(iter(trees.values()))
    if tree is None:
        raise Http404("No such troubleshooter.")
    return tree


def troubleshooter_step(*, tree: Tree, step_id: str | int | None) -> Step:
    """The requested step of this tree with its answers, or the first step; else 404."""
    steps = tree.steps.prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("position", "pk"))
    )
    if step_id in (None, ""):
        step = steps.order_by("position", "pk").first()
    else:
        try:
            step = steps.filter(pk=int(step_id)).first()
        except (TypeError, ValueError):
            step = None
    if step is None:
        raise Http404("No such step.")
    return step


def troubleshooter_answer(*, tree: Tree, answer_id: int) -> Answer:
    answer = (
        Answer.objects.select_related("step", "next_step")
        .filter(pk=answer_id, step__tree=tree)
        .first()
    )
    if answer is None:
        raise Http404("No such answer.")
    return answer


def answer_target_url(*, answer: Answer) -> str:
    """Where an answer leads: an article, a self-service tool or a pre-filled ticket form.

    Next-step answers are resolved by the view (they keep the walk token).
    """
    if answer.article_slug:
        return reverse("knowledge:article-detail", kwargs={"slug": answer.article_slug})
    if answer.tool:
        try:
            return reverse(answer.tool)
        except NoReverseMatch:
            return reverse("selfservice:hub")
    params = {
        k: v for k, v in (answer.ticket_params or {}).items() if isinstance(v, str) and v.strip()
    }
    return (
        reverse("tickets:ticket-create")
        + "?"
        + urlencode({"category": answer.ticket_category, **params})
    )


@dataclass
class StepDropoff:
    step: Step
    reached: int
    left_here: int

    @property
    def drop_rate(self) -> int:
        return round(100 * self.left_here / self.reached) if self.reached else 0


@dataclass
class TreeDropoff:
    tree: Tree
    walks: int
    # Keyed by the outcome's label, translated when displayed.
    outcomes: "dict[StrOrPromise, int]"
    steps: list[StepDropoff]


def troubleshooter_dropoff(*, tree: Tree, limit: int = 10_000) -> TreeDropoff:
    """Per step: walks that reached it and walks that stopped there without an outcome."""
    reached: Counter = Counter()
    left: Counter = Counter()
    outcomes: Counter = Counter()
    walks = 0
    for path, outcome in Walk.objects.filter(tree=tree).values_list("path", "outcome")[:limit]:
        walks += 1
        outcomes[outcome] += 1
        for step_id in set(path or []):
            reached[step_id] += 1
        if outcome == Walk.Outcome.IN_PROGRESS and path:
            left[path[-1]] += 1
    steps = [
        StepDropoff(step=step, reached=reached[step.pk], left_here=left[step.pk])
        for step in tree.steps.order_by("position", "pk")
    ]
    return TreeDropoff(
        tree=tree,
        walks=walks,
        outcomes={label: outcomes[value] for value, label in Walk.Outcome.choices},
        steps=steps,
    )
