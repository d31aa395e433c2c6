import django_filters
from django.db.models import Q

from ..models import Ticket


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices)
    category = django_filters.ChoiceFilter(choices=Ticket.Category.choices)

    class Meta:
        model = Ticket
        fields = ["status", "category"]


class AgentTicketFilter(TicketFilter):
    priority = django_filters.MultipleChoiceFilter(choices=Ticket.Priority.choices)
    team = django_filters.CharFilter(field_name="team__slug")
    assignee = django_filters.CharFilter(field_name="assignee__email", lookup_expr="iexact")
    unassigned = django_filters.BooleanFilter(field_name="assignee", lookup_expr="isnull")
    language = django_filters.CharFilter()
    channel = django_filters.ChoiceFilter(choices=Ticket.Channel.choices)
    breached = django_filters.BooleanFilter(method="filter_breached")
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Ticket
        fields = ["status", "category", "priority", "team", "assignee", "language", "channel"]

    def filter_breached(self, queryset, name, value):
        breached = (
            Q(first_response_breached=True)
            | Q(next_response_breached=True)
            | Q(resolution_breached=True)
        )
        return queryset.filter(breached) if value else queryset.exclude(breached)
