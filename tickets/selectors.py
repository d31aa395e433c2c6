from django.db.models import QuerySet

from support_portal.accounts.models import User

from .models import Ticket


def ticket_list_for_requester(*, user: User) -> QuerySet[Ticket]:
    """The requester's own tickets; everything customer-facing starts here."""
    return user.tickets.order_by("-created_at")
