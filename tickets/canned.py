"""Canned replies with {name}, {reference} and {agent} filled in."""

import string

from support_portal.accounts.models import User

from .models import CannedReply, Ticket


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        # Unknown placeholders stay as written instead of raising.
        return "{" + key + "}"


def canned_reply_render(*, reply: CannedReply, ticket: Ticket, agent: User) -> str:
    values = _Keep(
        name=ticket.requester.get_short_name(),
        reference=ticket.reference,
        agent=agent.get_short_name(),
    )
    try:
        return string.Formatter().vformat(reply.body, (), values)
    except (ValueError, IndexError, AttributeError, KeyError):
        return reply.body  # a stray brace in the text; insert it unchanged
