"""What a new ticket's acknowledgement says: one text for the system message,
the e-mail and the ticket page while the message is not written yet."""

from django.utils.translation import gettext as _

from .config import sla_minutes
from .models import Ticket


def duration_text(minutes: int) -> str:
    if minutes < 120:
        return _("%(n)d minutes") % {"n": minutes}
    if minutes < 48 * 60:
        return _("%(n)d hours") % {"n": minutes // 60}
    return _("%(n)d days") % {"n": minutes // (24 * 60)}


def first_response_minutes(ticket: Ticket) -> int:
    """The response-time promise: the ticket's own due time, else its priority's target."""
    if ticket.first_response_due and ticket.created_at:
        return max(0, round((ticket.first_response_due - ticket.created_at).total_seconds() / 60))
    return sla_minutes(ticket.priority)[0]


def acknowledgement_text(ticket: Ticket, articles: list[dict]) -> tuple[str, str]:
    """(subject, body) in the active language: reference, promise, suggested articles."""
    lines = [
        _("We have received your request %(reference)s.") % {"reference": ticket.reference},
        _("We aim to reply within %(hours)s.")
        % {"hours": duration_text(first_response_minutes(ticket))},
        _("Support will never ask for your password, 2FA codes, private keys or seed phrase."),
    ]
    if articles:
        lines.append(_("These articles may already answer your question:"))
        lines += [f"- {a['title']}: {a['url']}" for a in articles]
    return (
        _("[%(reference)s] We received your request") % {"reference": ticket.reference},
        "\n".join(lines),
    )
