"""The set-up every new ticket reads: teams, SLA policies and priority rules.

Senior agents edit these rows in the admin a few times a year, while every
ticket opened reads all three; so each process keeps a copy instead of asking
the database on each create.

A copy is valid while the generation stamp in the shared cache (CACHE_URL) is
the one it was loaded under. Saving or deleting one of these rows replaces the
stamp, now and again after the commit (receivers.py), so every process reloads
on its next ticket. With a cache that is not shared between processes (the
local-memory default) the stamp cannot reach other workers, so a copy also
expires after MAX_AGE_SECONDS: an edit then takes effect within a minute.
"""

import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from .models import PriorityRule, SLAPolicy, Team, Ticket

Priority = Ticket.Priority

# Used when no SLAPolicy row exists for a priority: (first, next, resolution) minutes.
DEFAULT_SLA_MINUTES = {
    Priority.URGENT: (30, 60, 4 * 60),
    Priority.HIGH: (60, 4 * 60, 24 * 60),
    Priority.NORMAL: (4 * 60, 8 * 60, 48 * 60),
    Priority.LOW: (8 * 60, 24 * 60, 5 * 24 * 60),
}

GENERATION_KEY = "tickets:setup:generation"
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class Setup:
    teams: dict[str, Team]  # by slug
    sla_minutes: dict[int, tuple[int, int, int]]  # priority → (first, next, resolution)
    priority_rules: dict[str, list[tuple[Decimal | None, int]]]  # category → active rules


_lock = threading.Lock()
_loaded: tuple[str, float, Setup] | None = None


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add(), not set(): when several processes start at once, one stamp wins.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or ""
    return generation


def _load() -> Setup:
    rules: dict[str, list[tuple[Decimal | None, int]]] = {}
    for rule in PriorityRule.objects.filter(is_active=True).order_by("pk"):
        rules.setdefault(rule.category, []).append((rule.min_amount, rule.priority))
    return Setup(
        teams={team.slug: team for team in Team.objects.all()},
        sla_minutes={
            p.priority: (p.first_response_minutes, p.next_response_minutes, p.resolution_minutes)
            for p in SLAPolicy.objects.all()
        },
        priority_rules=rules,
    )


def setup_current() -> Setup:
    """This process's copy of the set-up, reloaded once it is stale."""
    global _loaded
    generation = _generation()
    loaded = _loaded
    if loaded and loaded[0] == generation and time.monotonic() - loaded[1] < MAX_AGE_SECONDS:
        return loaded[2]
    with _lock:
        setup = _load()
        _loaded = (generation, time.monotonic(), setup)
    return setup


def setup_invalidate() -> None:
    """Make every process reload the set-up on its next ticket."""
    global _loaded
    _loaded = None
    cache.delete(GENERATION_KEY)


def sla_minutes(priority: int) -> tuple[int, int, int]:
    """(first response, next response, resolution) targets in minutes for a priority."""
    minutes = setup_current().sla_minutes.get(priority)
    return minutes or DEFAULT_SLA_MINUTES[Priority(priority)]


def priority_for(*, category: str, amount: Decimal | None) -> int:
    """The highest priority among active rules matching the category and amount."""
    best: int = Priority.NORMAL
    for min_amount, priority in setup_current().priority_rules.get(category, []):
        if min_amount is not None and (amount is None or amount < min_amount):
            continue
        best = max(best, priority)
    return best


def team_for(*, slug: str, name: str) -> Team:
    """The team with this slug, created on first use."""
    team = setup_current().teams.get(slug)
    if team is None:
        team, _created = Team.objects.get_or_create(slug=slug, defaults={"name": name})
    return team
