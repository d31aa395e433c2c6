import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from knowledge.models import Article, ArticleFeedback, SearchQueryLog
from knowledge.services import (
    article_archive,
    article_publish,
    article_schedule,
    article_views_flush,
    search_log_flush,
)
from knowledge.tasks import search_index_publish_due
from support_portal.periodic import periodic_tasks
from tests.factories import UserFactory

from .factories import ArticleFactory, CategoryFactory, GlossaryTermFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_second_anonymous_article_view_is_served_without_queries_and_still_counted(
    client, django_assert_max_num_queries
):
    article = ArticleFactory(published=True, body="## Steps\n\nAdd the memo.")
    first = client.get(article.get_absolute_url())
    article_views_flush()  # and restart the flush timer

    with django_assert_max_num_queries(0):
        second = client.get(article.get_absolute_url())

    assert second.content == first.content
    article_views_flush()
    article.refresh_from_db()
    assert article.view_count == 2


@pytest.mark.parametrize("page", ["category", "faq", "glossary", "glossary-term"])
def test_other_public_pages_are_cached_for_anonymous_readers(
    client, django_assert_max_num_queries, page
):
    category = CategoryFactory(slug="fees")
    term = GlossaryTermFactory(slug="maker")
    url = {
        "category": category.get_absolute_url(),
        "faq": reverse("knowledge:faq"),
        "glossary": reverse("knowledge:glossary"),
        "glossary-term": term.get_absolute_url(),
    }[page]
    client.get(url)

    with django_assert_max_num_queries(0):
        assert client.get(url).status_code == 200


def test_publishing_and_archiving_change_cached_pages(client, editor):
    category = CategoryFactory(slug="deposits")
    live = ArticleFactory(published=True, category=category, title="Missing memo")
    draft = ArticleFactory(status=Article.Status.IN_REVIEW, category=category, title="Wrong chain")
    assert "Wrong chain" not in client.get(category.get_absolute_url()).content.decode()
    assert client.get(live.get_absolute_url()).status_code == 200

    article_publish(article=draft, by=editor)
    article_archive(article=live)

    listing = client.get(category.get_absolute_url()).content.decode()
    assert "Wrong chain" in listing and "Missing memo" not in listing
    assert client.get(live.get_absolute_url()).status_code == 404
    assert "Wrong chain" in client.get(draft.get_absolute_url()).content.decode()


def test_signed_in_readers_never_get_the_cached_page(client):
    article = ArticleFactory(published=True)
    anonymous = client.get(article.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in anonymous

    client.force_login(UserFactory(email="trader@example.com"))
    signed_in = client.get(article.get_absolute_url()).content.decode()

    assert "trader@example.com" in signed_in
    assert "csrfmiddlewaretoken" in signed_in


def test_signed_in_home_reuses_its_help_centre_sections_until_content_changes(
    client, editor, django_assert_max_num_queries
):
    ArticleFactory(published=True, title="Missing memo")
    draft = ArticleFactory(status=Article.Status.IN_REVIEW, title="Wrong chain")
    client.force_login(UserFactory(email="trader@example.com"))
    first = client.get("/").content.decode()
    assert "Missing memo" in first and "Wrong chain" not in first

    # Session and user only: categories, popular articles and announcements
    # come from the fragment cache.
    with django_assert_max_num_queries(2):
        again = client.get("/").content.decode()
    assert "trader@example.com" in again and "Missing memo" in again

    article_publish(article=draft, by=editor)
    assert "Wrong chain" in client.get("/").content.decode()


def test_feedback_needs_no_token_anonymously_but_does_when_signed_in():
    article = ArticleFactory(published=True)
    url = reverse("knowledge:article-feedback", args=[article.pk])
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(url, {"helpful": "yes"}).status_code == 302

    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(UserFactory())
    assert signed_in.post(url, {"helpful": "no"}).status_code == 403
    page = signed_in.get(article.get_absolute_url())
    token = page.context["csrf_token"]
    assert signed_in.post(url, {"helpful": "no", "csrfmiddlewaretoken": token}).status_code == 302

    assert list(ArticleFeedback.objects.order_by("pk").values_list("helpful", flat=True)) == [
        True,
        False,
    ]


def test_feedback_message_page_is_not_cached(client):
    article = ArticleFactory(published=True)
    client.get(article.get_absolute_url())
    client.post(reverse("knowledge:article-feedback", args=[article.pk]), {"helpful": "yes"})

    assert "Thank you for your feedback." in client.get(article.get_absolute_url()).content.decode()
    assert "Thank you" not in client.get(article.get_absolute_url()).content.decode()


def test_search_page_is_cached_but_every_search_is_logged_once(client, django_assert_num_queries):
    ArticleFactory(published=True, title="Fees", body="maker fees")
    ArticleFactory(published=True, title="Other", body="taker")
    url = reverse("knowledge:search")
    first = client.get(url, {"q": "fees"})
    assert not first.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()

    # Served whole from the page cache; the log row waits in the buffer.
    with django_assert_num_queries(0):
        second = client.get(url, {"q": "fees"})
    assert second.content == first.content
    client.get(url, {"q": "taker"})

    assert search_log_flush() == 3
    assert search_log_flush() == 0
    assert SearchQueryLog.objects.filter(query="fees", result_count=1).count() == 2
    assert SearchQueryLog.objects.filter(query="taker", result_count=1).count() == 1


def test_search_log_is_written_when_due(client, monkeypatch):
    monkeypatch.setattr(services, "SEARCH_LOG_FLUSH_SIZE", 3)
    url = reverse("knowledge:search")
    for _ in range(2):
        client.get(url, {"q": "fees"})
    assert not SearchQueryLog.objects.exists()
    client.get(url, {"q": "fees"})
    assert SearchQueryLog.objects.count() == 3


def test_search_log_flush_is_periodic():
    assert "knowledge.tasks.search_log_flush_pending" in {t.name for t in periodic_tasks()}


def test_click_waits_for_a_search_buffered_elsewhere(monkeypatch):
    token = services.search_click_token(query="Fees", language="en", result_count=1)
    # The search is still in another process's buffer: the click waits...
    assert services.search_log_click(token=token, url="/help/articles/fees/")
    assert not SearchQueryLog.objects.exists()
    SearchQueryLog.objects.create(query="fees", language="en", result_count=1)
    # ... and lands on it once it is written.
    services.search_log_flush()
    assert SearchQueryLog.objects.get().clicked_url == "/help/articles/fees/"
    # A click whose search never shows up is kept as a clicked search.
    monkeypatch.setattr(services, "SEARCH_CLICK_RETRY_SECONDS", 0)
    assert services.search_log_click(token=token, url="/help/articles/other/")
    assert SearchQueryLog.objects.filter(clicked_url="/help/articles/other/").count() == 1
    assert not services._pending_clicks


def test_cached_search_results_follow_publishing(client, editor):
    url = reverse("knowledge:search")
    ArticleFactory(published=True, title="Fees", body="maker fees")
    assert client.get(url, {"q": "fees"}).context["page"].paginator.count == 1
    draft = ArticleFactory(status=Article.Status.IN_REVIEW, title="Taker fees", body="fees")

    article_publish(article=draft, by=editor)

    assert client.get(url, {"q": "fees"}).context["page"].paginator.count == 2


def test_rendered_body_follows_glossary_changes_for_signed_in_readers(client):
    client.force_login(UserFactory())
    article = ArticleFactory(published=True, body="Always add the memo.")
    assert 'role="tooltip"' not in client.get(article.get_absolute_url()).content.decode()

    GlossaryTermFactory(term="memo", definition="A note for the exchange.")

    assert 'role="tooltip"' in client.get(article.get_absolute_url()).content.decode()


def test_scheduled_article_enters_search_and_pages_when_due(client, editor):
    category = CategoryFactory(slug="launches")
    article = ArticleFactory(
        status=Article.Status.IN_REVIEW,
        category=category,
        title="Zephyrcoin listing",
        body="zephyrcoin",
    )
    search = reverse("knowledge:search")
    article_schedule(article=article, by=editor, at=timezone.now() + datetime.timedelta(minutes=30))
    search_index_publish_due.call()  # nothing due yet; records the run
    assert client.get(search, {"q": "zephyrcoin"}).context["hits"] == []
    assert "Zephyrcoin listing" not in client.get(category.get_absolute_url()).content.decode()

    # Its time comes (moved, not waited for: the run after this one sees it).
    due = timezone.now() - datetime.timedelta(seconds=1)
    Article.objects.filter(pk=article.pk).update(publish_at=due, published_at=due)

    assert search_index_publish_due.call() == 1
    assert [h.title for h in client.get(search, {"q": "zephyrcoin"}).context["hits"]] == [
        "Zephyrcoin listing"
    ]
    assert "Zephyrcoin listing" in client.get(category.get_absolute_url()).content.decode()
    assert search_index_publish_due.call() == 1  # the overlap re-checks; indexing is idempotent


def test_publish_due_runs_every_few_minutes():
    entry = {e.name: e for e in periodic_tasks()}["knowledge.tasks.search_index_publish_due"]
    assert entry.every <= datetime.timedelta(minutes=5)
