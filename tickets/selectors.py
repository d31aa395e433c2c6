import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from support_portal.accounts.models import User

from .acknowledgement import acknowledgement_text
from .models import Attachment, CannedReply, Message, Ticket, TicketRating


def ticket_list_for_requester(*, user: User) -> QuerySet[Ticket]:
    """The requester's own tickets; everything customer-facing starts here."""
    return user.tickets.visible().order_by("-created_at")


def ticket_for_requester(*, user: User, reference: str) -> Ticket:
    """One of the requester's tickets; anyone else's reference is a 404."""
    return get_object_or_404(ticket_list_for_requester(user=user), reference=reference)


def messages_public(*, ticket: Ticket) -> QuerySet[Message]:
    """The thread the requester sees: never internal notes."""
    return (
        ticket.messages.filter(is_internal=False)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def acknowledgement_pending_for(*, ticket: Ticket) -> str | None:
    """What the acknowledgement will say, while its task has not written it yet.

    The reference and the response-time promise come from the ticket itself;
    the suggested articles arrive with the real message.
    """
    if ticket.acknowledged_at is not None or ticket.held_for_confirmation:
        return None
    return acknowledgement_text(ticket, [])[1]


def attachment_for_requester(*, user: User, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.filter(
            ticket__requester=user,
            ticket__held_for_confirmation=False,
            message__is_internal=False,
        ),
        pk=pk,
    )


def attachment_for_staff(*, pk: int) -> Attachment:
    return get_object_or_404(Attachment, pk=pk)


def rating_current(*, ticket: Ticket) -> TicketRating | None:
    return ticket.ratings.filter(resolution_number=ticket.resolution_count).first()


def ticket_thread_for_agent(*, ticket: Ticket) -> list:
    """Messages (with attachments) and history events, in time order."""
    messages = list(ticket.messages.select_related("author").prefetch_related("attachments"))
    events = list(ticket.events.select_related("actor"))
    return sorted([*messages, *events], key=lambda item: (item.created_at, item.pk))


def ticket_queue_for_agent(*, agent: User) -> QuerySet[Ticket]:
    return (
        Ticket.objects.open()
        .visible()
        .filter(Q(assignee=agent) | Q(assignee__isnull=True))
        .select_related("requester", "assignee", "team")
        .order_by("-priority", "updated_at")
    )


def tickets_for_staff_api() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("requester", "assignee", "team").order_by("-created_at")


def requester_other_tickets(*, ticket: Ticket, limit: int = 10) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .order_by("-created_at")[:limit]
    )


def canned_replies_for(*, language: str) -> QuerySet[CannedReply]:
    """Replies in the ticket's language first, then English as a fallback."""
    return CannedReply.objects.filter(is_active=True, language__in=[language, "en"]).order_by(
        "language", "title"
    )


DUE_SOON = datetime.timedelta(hours=1)
# How the console's badge and the CSV name each state; "none" (nothing due) has no words.
SLA_LABELS = {"breached": _("Breached"), "soon": _("Due soon"), "ok": _("On track")}


def sla_state(ticket: Ticket, now: datetime.datetime) -> str:
    """breached, soon, ok or none: from the ticket's own columns, no queries."""
    if ticket.is_breached:
        return "breached"
    if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        return "none"
    dues = [
        d
        for d in (
            ticket.first_response_due if ticket.first_responded_at is None else None,
            ticket.next_response_due,
            ticket.resolution_due,
        )
        if d
    ]
    if not dues:
        return "none"
    soonest = min(dues)
    if soonest < now:
        return "breached"
    return "soon" if soonest - now < DUE_SOON else "ok"


def tickets_for_export(*, tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The chosen tickets with everything the CSV export shows, in one query
    however many there are: team, assignee and the rating of the latest
    resolution (as the ticket page shows it) come along in the same row."""
    rating = TicketRating.objects.filter(
        ticket=OuterRef("pk"), resolution_number=OuterRef("resolution_count")
    ).values("score")[:1]
    return (
        tickets.select_related(None)
        .select_related("team", "assignee")
        .defer("intake", "tags")
        .annotate(satisfaction=Subquery(rating))
    )


def agents_for_assignment() -> QuerySet[User]:
    """Active staff by e-mail, for the console's assign picker (a partial index serves it)."""
    return User.objects.filter(is_staff=True, is_active=True).only("email").order_by("email")
