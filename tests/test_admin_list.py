"""support_portal.admin_list: the console's compiled changelist rows and deep-page paginator."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list as django_admin_list
from django.core.paginator import Paginator
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone, translation

from support_portal import admin_list
from support_portal.admin_list import DeferredJoinPaginator
from tests.factories import StaffFactory, UserFactory
from tests.tickets.factories import TeamFactory, TicketFactory
from tickets.admin import TicketAdmin
from tickets.models import Notification, Ticket

pytestmark = pytest.mark.django_db


def _changelist(model, query="", user=None):
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    request = RequestFactory().get(f"{path}?{query}")
    request.resolver_match = resolve(path)  # what the preserved filters are read from
    request.user = user or StaffFactory(is_superuser=True)
    changelist = admin.site._registry[model].get_changelist_instance(request)
    changelist.formset = None  # as changelist_view leaves it without list_editable
    return changelist


def _django_rows(changelist):
    return ["".join(row) for row in django_admin_list.results(changelist)]


def _compiled_rows(changelist):
    rows = list(admin_list.results(changelist))
    assert all(len(row) == 1 for row in rows)  # one joined item a row
    return [row[0] for row in rows]


@pytest.fixture
def varied_tickets():
    """Every value each column can show: choices, empty relations, markup in text."""
    team = TeamFactory(name="Deposits & <Withdrawals>")
    agent = StaffFactory(email="agent@example.com")
    now = timezone.now()
    tickets = []
    for i, (status, priority, category, language, channel) in enumerate(
        zip(
            Ticket.Status.values,
            Ticket.Priority.values * 2,
            Ticket.Category.values,
            ["en", "zh-hans", "ru", "es", "ja", "ko"],
            Ticket.Channel.values,
            strict=False,
        )
    ):
        tickets.append(
            TicketFactory(
                subject=f'Deposit <script>"{i}"</script> & more',
                status=status,
                priority=priority,
                category=category,
                language=language,
                channel=channel,
                team=team if i % 2 else None,
                assignee=agent if i % 3 else None,
                first_response_due=now + datetime.timedelta(minutes=30 * (i - 2)),
                resolution_breached=i == 4,
                resolved_at=now if status in ("resolved", "closed") else None,
                closed_at=now if status == "closed" else None,
            )
        )
    return tickets


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "query",
    ["", "status__exact=open", "o=3.-2", "q=Deposit&priority__exact=2", "assigned=none&p=1"],
)
def test_ticket_rows_are_django_s_markup(varied_tickets, language, query):
    with translation.override(language):
        changelist = _changelist(Ticket, query)
        compiled = _compiled_rows(changelist)
        assert compiled == _django_rows(changelist)
    if not query:
        assert len(compiled) == len(varied_tickets)
        assert "&lt;script&gt;" in compiled[0] and "<script>" not in "".join(compiled)


def test_link_keeps_the_preserved_filters(varied_tickets):
    changelist = _changelist(Ticket, "status__exact=open&o=2")
    row = _compiled_rows(changelist)[0]
    ticket = changelist.result_list[0]
    assert (
        f'<a href="/admin/tickets/ticket/{ticket.pk}/change/?_changelist_filters='
        f'status__exact%3Dopen%26o%3D2">{ticket.reference}</a>'
    ) in row


def test_columns_it_does_not_compile_are_left_to_django():
    # Notifications: a foreign key as the link column, and a number and a
    # date-time that take Django's own formatting.
    ticket = TicketFactory()
    for i, status in enumerate(Notification.Status.values):
        Notification.objects.create(
            ticket=ticket,
            recipient=UserFactory(),
            kind="reply",
            subject="s",
            body="b",
            status=status,
            attempts=i,
            last_error="" if i % 2 else "SMTP <down>",
        )
    for language in ("en", "zh-hans"):
        with translation.override(language):
            changelist = _changelist(Notification)
            assert _compiled_rows(changelist) == _django_rows(changelist)


def test_customised_checkbox_is_rendered_by_its_own_method(monkeypatch, varied_tickets):
    monkeypatch.setattr(TicketAdmin, "action_checkbox", lambda self, obj: f"custom-{obj.pk}")
    changelist = _changelist(Ticket)
    rows = _compiled_rows(changelist)
    assert rows == _django_rows(changelist)
    assert f'<td class="action-checkbox">custom-{changelist.result_list[0].pk}</td>' in rows[0]


@pytest.mark.parametrize("orphans", [0, 3])
def test_deferred_join_paginator_gives_the_plain_pages(orphans):
    user = UserFactory()
    for i in range(23):
        TicketFactory(requester=user, subject=f"t{i % 5}")
    tickets = Ticket.objects.select_related("requester").order_by("subject", "-pk")
    plain = Paginator(tickets, 5, orphans=orphans)
    deferred = DeferredJoinPaginator(tickets, 5, orphans=orphans)
    assert deferred.num_pages == plain.num_pages
    for number in deferred.page_range:
        assert [t.pk for t in deferred.page(number)] == [t.pk for t in plain.page(number)]


def test_deferred_join_paginator_reads_keys_then_rows(django_assert_num_queries):
    for _ in range(12):
        TicketFactory()
    paginator = DeferredJoinPaginator(Ticket.objects.order_by("-created_at", "-pk"), 5)
    assert paginator.count == 12  # counted first, as the changelist does
    with django_assert_num_queries(1) as captured:
        page = list(paginator.page(2))
    assert len(page) == 5
    sql = captured.captured_queries[0]["sql"]
    assert " IN (SELECT " in sql and "OFFSET" in sql
    with django_assert_num_queries(1) as captured:
        list(paginator.page(1))
    assert " IN (SELECT " not in captured.captured_queries[0]["sql"]


def test_deep_changelist_page_over_http(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    tickets = [TicketFactory() for _ in range(55)]
    response = client.get("/admin/tickets/ticket/?p=2")
    assert response.status_code == 200
    shown = {t.reference for t in tickets if t.reference.encode() in response.content}
    oldest = sorted(tickets, key=lambda t: (t.created_at, t.pk))[:5]
    assert shown == {t.reference for t in oldest}
    # Past the last page: Django's own answer, a redirect to the error flag.
    assert client.get("/admin/tickets/ticket/?p=99").status_code == 302
