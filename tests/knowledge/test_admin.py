import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from knowledge.models import Article, SearchQueryLog
from knowledge.services import article_publish
from tests.factories import UserFactory

from .factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True, exchange_uid=None)
    client.force_login(user)
    # Staff MFA is enforced by middleware; the superuser here stands for an
    # editor who has enrolled.
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp", "at": 0}]
    session.save()
    return client


@pytest.mark.parametrize("rows", [10, 200])
def test_article_changelist_query_count_is_flat(admin_client, django_assert_max_num_queries, rows):
    category = CategoryFactory(parent=CategoryFactory())
    ArticleFactory.create_batch(rows, category=category, published=True)
    # 5 of these are session, user, MFA and user-session bookkeeping.
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("admin:knowledge_article_changelist"))
    assert response.status_code == 200


def test_publish_action_and_history_compare(admin_client):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, body="first")
    response = admin_client.post(
        reverse("admin:knowledge_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    article.body = "second"
    article_publish  # noqa: B018 - a second revision through the admin save path
    import reversion

    with reversion.create_revision():
        article.save()
    a, b = Version.objects.get_for_object(article).order_by("pk")
    page = admin_client.get(
        reverse("admin:knowledge_article_compare", args=[article.pk]), {"a": a.pk, "b": b.pk}
    )
    assert "<del>-first</del>" in page.content.decode()
    history = admin_client.get(reverse("admin:knowledge_article_history", args=[article.pk]))
    assert "Compare two versions" in history.content.decode()


def test_schedule_action_needs_a_time(admin_client):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    url = reverse("admin:knowledge_article_changelist")
    admin_client.post(url, {"action": "schedule", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    at = timezone.localtime() + datetime.timedelta(days=2)
    admin_client.post(
        url,
        {
            "action": "schedule",
            "_selected_action": [article.pk],
            "publish_at_0": at.strftime("%Y-%m-%d"),
            "publish_at_1": at.strftime("%H:%M:%S"),
        },
    )
    article.refresh_from_db()
    assert article.publish_at is not None


def test_insights_and_draft_from_gap(admin_client):
    category = CategoryFactory()
    SearchQueryLog.objects.create(query="staking", language="en", result_count=0)
    SearchQueryLog.objects.create(query="staking", language="en", result_count=0)
    page = admin_client.get(reverse("admin:knowledge_searchquerylog_insights"))
    assert "staking" in page.content.decode()
    admin_client.post(
        reverse("admin:knowledge_searchquerylog_changelist"),
        {
            "action": "create_draft_from_gap",
            "_selected_action": list(SearchQueryLog.objects.values_list("pk", flat=True)),
            "category": category.pk,
        },
    )
    assert Article.objects.filter(title="Staking", status="draft").count() == 1


def test_preview_renders_sanitised(admin_client):
    article = ArticleFactory(body="## Hi\n\n<script>x</script>")
    body = admin_client.get(
        reverse("admin:knowledge_article_change", args=[article.pk])
    ).content.decode()
    assert '<h2 id="h-hi">Hi</h2>' in body
    assert "<script>x</script>" not in body
