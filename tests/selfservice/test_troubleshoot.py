"""Guided troubleshooters: walking to a pre-filled ticket, analytics and the admin."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from selfservice.models import Answer, Walk
from selfservice.selectors import troubleshooter_dropoff, troubleshooters_for
from support_portal.accounts.roles import Role
from tests.factories import StaffFactory, UserFactory

from .factories import AnswerFactory, StepFactory, TreeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit_tree():
    """Has the deposit reached the required confirmations? → ticket, tracer or article."""
    tree = TreeFactory(slug="deposit-not-arrived", title="My deposit has not arrived")
    first = StepFactory(tree=tree, position=1, question="Do you have the TXID?")
    second = StepFactory(tree=tree, position=2, question="Has it enough confirmations?")
    AnswerFactory(step=first, position=1, label="Yes", next_step=second)
    AnswerFactory(step=first, position=2, label="No", article_slug="how-to-find-txid")
    AnswerFactory(
        step=second,
        position=1,
        label="Yes, still not credited",
        ticket_category="deposit",
        ticket_params={"network": "BTC", "coin": "BTC"},
    )
    AnswerFactory(step=second, position=2, label="I don't know", tool="selfservice:deposit-trace")
    return tree


def start(client, tree):
    response = client.get(reverse("selfservice:troubleshooter-detail", kwargs={"slug": tree.slug}))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.url).query)
    return response.url, query["walk"][0]


def answer_url(tree, answer, token):
    url = reverse(
        "selfservice:troubleshooter-answer", kwargs={"slug": tree.slug, "answer_id": answer.pk}
    )
    return f"{url}?walk={token}"


def test_walk_to_prefilled_ticket(client, deposit_tree):
    first, second = deposit_tree.steps.order_by("position")
    url, token = start(client, deposit_tree)
    page = client.get(url)
    assert "Do you have the TXID?" in page.content.decode()
    yes = first.answers.get(label="Yes")
    assert answer_url(deposit_tree, yes, token) in page.content.decode()

    response = client.get(answer_url(deposit_tree, yes, token))
    assert response.status_code == 302 and f"step={second.pk}" in response.url
    assert "Has it enough confirmations?" in client.get(response.url).content.decode()

    ticket = second.answers.get(ticket_category="deposit")
    response = client.get(answer_url(deposit_tree, ticket, token))
    target = urlsplit(response.url)
    assert target.path == reverse("tickets:ticket-create")
    assert parse_qs(target.query) == {"category": ["deposit"], "network": ["BTC"], "coin": ["BTC"]}

    walk = Walk.objects.get(token=token)
    assert walk.path == [first.pk, second.pk]
    assert walk.outcome == Walk.Outcome.TICKET


def test_prefilled_ticket_form_shows_the_values(client, deposit_tree):
    client.force_login(UserFactory(email="walker@example.com"))
    second = deposit_tree.steps.order_by("position")[1]
    ticket = second.answers.get(ticket_category="deposit")
    _url, token = start(client, deposit_tree)
    response = client.get(answer_url(deposit_tree, ticket, token), follow=True)
    assert response.status_code == 200
    assert 'value="BTC"' in response.content.decode()


def test_article_and_tool_answers(client, deposit_tree):
    first, second = deposit_tree.steps.order_by("position")
    _url, token = start(client, deposit_tree)
    response = client.get(answer_url(deposit_tree, first.answers.get(label="No"), token))
    assert response.url == reverse("knowledge:article-detail", kwargs={"slug": "how-to-find-txid"})
    assert Walk.objects.get(token=token).outcome == Walk.Outcome.ARTICLE

    _url, token = start(client, deposit_tree)
    tool = second.answers.get(tool="selfservice:deposit-trace")
    response = client.get(answer_url(deposit_tree, tool, token))
    assert response.url == reverse("selfservice:deposit-trace")
    walk = Walk.objects.get(token=token)
    assert walk.outcome == Walk.Outcome.TOOL and walk.path == [first.pk, second.pk]


def test_walk_stores_no_personal_data(client, deposit_tree):
    client.force_login(UserFactory(email="walker@example.com"))
    start(client, deposit_tree)
    walk = Walk.objects.get()
    assert {f.name for f in Walk._meta.concrete_fields} == {
        "id",
        "token",
        "tree",
        "path",
        "outcome",
        "started_at",
        "updated_at",
    }
    assert len(walk.token) >= 16


def test_unknown_token_still_leads_on_and_records_nothing(client, deposit_tree):
    first = deposit_tree.steps.order_by("position")[0]
    response = client.get(answer_url(deposit_tree, first.answers.get(label="No"), "bogus"))
    assert response.status_code == 302
    assert not Walk.objects.exists()


@pytest.mark.parametrize("step", ["abc", "999999", "-1", "1e9"])
def test_bad_step_is_404(client, deposit_tree, step):
    url = reverse("selfservice:troubleshooter-detail", kwargs={"slug": deposit_tree.slug})
    assert client.get(url, {"step": step, "walk": "x"}).status_code == 404


def test_answer_of_another_tree_is_404(client, deposit_tree):
    other = AnswerFactory(article_slug="reset-password")
    url = reverse(
        "selfservice:troubleshooter-answer",
        kwargs={"slug": deposit_tree.slug, "answer_id": other.pk},
    )
    assert client.get(url).status_code == 404


def test_unknown_or_unpublished_tree_is_404(client):
    TreeFactory(slug="draft", is_published=False)
    for slug in ("nope", "draft"):
        url = reverse("selfservice:troubleshooter-detail", kwargs={"slug": slug})
        assert client.get(url).status_code == 404


def test_list_prefers_the_customers_language():
    TreeFactory(slug="login", translation_key="login", language="en", title="Can't log in")
    TreeFactory(slug="login", translation_key="login", language="zh-hans", title="无法登录")
    TreeFactory(slug="balance", translation_key="balance", language="en", title="Balance")
    titles = [t.title for t in troubleshooters_for(language="zh-hans")]
    assert sorted(titles) == sorted(["无法登录", "Balance"])
    assert sorted(t.title for t in troubleshooters_for(language="en")) == [
        "Balance",
        "Can't log in",
    ]


def test_list_and_hub_pages(client, deposit_tree):
    for name in ("selfservice:troubleshooters", "selfservice:hub"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "My deposit has not arrived" in response.content.decode()


def test_answer_needs_exactly_one_target(deposit_tree):
    step = deposit_tree.steps.first()
    with pytest.raises(IntegrityError):
        Answer.objects.create(step=step, label="Nowhere")


def test_answer_rejects_next_step_of_another_tree_and_unknown_params(deposit_tree):
    step = deposit_tree.steps.first()
    answer = Answer(step=step, label="x", next_step=StepFactory())
    with pytest.raises(ValidationError) as exc:
        answer.full_clean()
    assert "next_step" in exc.value.message_dict
    answer = Answer(step=step, label="x", ticket_category="deposit", ticket_params={"evil": "1"})
    with pytest.raises(ValidationError) as exc:
        answer.full_clean()
    assert "ticket_params" in exc.value.message_dict


def test_dropoff_counts_where_walks_stop(client, deposit_tree):
    first, second = deposit_tree.steps.order_by("position")
    for _ in range(3):
        start(client, deposit_tree)  # left at the first step
    _url, token = start(client, deposit_tree)
    client.get(answer_url(deposit_tree, first.answers.get(label="Yes"), token))  # left at 2nd
    _url, token = start(client, deposit_tree)
    client.get(answer_url(deposit_tree, first.answers.get(label="Yes"), token))
    client.get(answer_url(deposit_tree, second.answers.get(ticket_category="deposit"), token))

    report = troubleshooter_dropoff(tree=deposit_tree)
    assert report.walks == 5
    rows = {row.step.pk: row for row in report.steps}
    assert (rows[first.pk].reached, rows[first.pk].left_here) == (5, 3)
    assert (rows[second.pk].reached, rows[second.pk].left_here) == (2, 1)
    assert rows[first.pk].drop_rate == 60


@pytest.mark.parametrize("role", [Role.EDITOR, Role.SENIOR_AGENT])
def test_editors_and_senior_agents_edit_trees(client, settings, deposit_tree, role):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(StaffFactory(role=role))
    step = deposit_tree.steps.first()
    for url in (
        reverse("admin:selfservice_tree_changelist"),
        reverse("admin:selfservice_tree_change", args=[deposit_tree.pk]),
        reverse("admin:selfservice_step_change", args=[step.pk]),
        reverse("admin:selfservice_tree_dropoff", args=[deposit_tree.pk]),
    ):
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("admin:selfservice_tree_dropoff", args=[deposit_tree.pk]))
    assert "Do you have the TXID?" in response.content.decode()


def test_agents_cannot_edit_trees(client, settings, deposit_tree):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(StaffFactory(role=Role.AGENT))
    assert client.get(reverse("admin:selfservice_tree_changelist")).status_code == 403
    url = reverse("admin:selfservice_tree_dropoff", args=[deposit_tree.pk])
    assert client.get(url).status_code == 403
