import datetime

import pytest
import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from knowledge.models import Article, ArticleFeedback, SearchQueryLog
from knowledge.services import (
    article_archive,
    article_draft_from_gap,
    article_feedback_add,
    article_mark_reviewed,
    article_publish,
    article_record_view,
    article_return_to_draft,
    article_schedule,
    article_submit_for_review,
    article_views_flush,
    normalise_query,
    search_click_token,
    search_log_click,
    search_log_flush,
    search_log_record,
)
from tests.factories import UserFactory

from .factories import AnnouncementFactory, ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def test_submit_moves_draft_to_review():
    article = article_submit_for_review(article=ArticleFactory())
    assert article.status == Article.Status.IN_REVIEW


@pytest.mark.parametrize("status", ["in_review", "published", "archived"])
def test_submit_refuses_anything_but_a_draft(status):
    article = ArticleFactory(status=status, published_at=timezone.now())
    with pytest.raises(ValidationError):
        article_submit_for_review(article=article)


def test_editor_publishes_reviewed_article_with_revision(editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert article.review_by > timezone.localdate()
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    assert versions[0].revision.user == editor
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_agent_and_customer_cannot_publish(agent):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    for user in (agent, UserFactory(), None):
        with pytest.raises(PermissionDenied):
            article_publish(article=article, by=user)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_publish_refuses_unreviewed_or_archived(editor, status):
    with pytest.raises(ValidationError):
        article_publish(article=ArticleFactory(status=status), by=editor)


def test_schedule_hides_until_due_then_publish_now(editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    at = timezone.now() + datetime.timedelta(days=1)
    article_schedule(article=article, by=editor, at=at)
    assert article.status == Article.Status.PUBLISHED
    assert not Article.objects.published().filter(pk=article.pk).exists()
    article_publish(article=article, by=editor)
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert Version.objects.get_for_object(article).count() == 2


def test_schedule_refuses_past_time_and_non_publishers(editor, agent):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        article_schedule(article=article, by=editor, at=timezone.now() - datetime.timedelta(1))
    with pytest.raises(PermissionDenied):
        article_schedule(article=article, by=agent, at=timezone.now() + datetime.timedelta(1))


def test_archive_only_published():
    article = ArticleFactory(published=True)
    article_archive(article=article)
    assert article.status == Article.Status.ARCHIVED
    assert not Article.objects.published().filter(pk=article.pk).exists()
    with pytest.raises(ValidationError):
        article_archive(article=ArticleFactory())


def test_return_to_draft_from_review_and_archive_but_not_published():
    for status in ("in_review", "archived"):
        article = article_return_to_draft(article=ArticleFactory(status=status))
        assert article.status == Article.Status.DRAFT
    with pytest.raises(ValidationError):
        article_return_to_draft(article=ArticleFactory(published=True))


def test_mark_reviewed_pushes_review_date_forward():
    article = ArticleFactory(published=True, review_by=timezone.localdate())
    assert Article.objects.review_due().filter(pk=article.pk).exists()
    article_mark_reviewed(article=article)
    assert article.review_by > timezone.localdate() + datetime.timedelta(days=100)
    assert not Article.objects.review_due().filter(pk=article.pk).exists()
    with pytest.raises(ValidationError):
        article_mark_reviewed(article=ArticleFactory())


def test_revision_can_be_restored(editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, title="Original")
    article_publish(article=article, by=editor)
    article.title = "Changed"
    article.save()
    Version.objects.get_for_object(article)[0].revision.revert()
    article.refresh_from_db()
    assert article.title == "Original"
    assert reversion.is_registered(Article)


def test_views_are_counted_in_batches():
    article, other = ArticleFactory(published=True), ArticleFactory(published=True)
    article_views_flush()
    article_record_view(article_id=article.pk)
    article_record_view(article_id=article.pk)
    article_record_view(article_id=other.pk)
    article.refresh_from_db()
    assert article.view_count == 0  # not yet written

    assert article_views_flush() == 3

    article.refresh_from_db()
    other.refresh_from_db()
    assert (article.view_count, other.view_count) == (2, 1)
    assert article_views_flush() == 0


def test_feedback_only_for_published():
    article = ArticleFactory(published=True)
    article_feedback_add(article=article, helpful=False, comment="  Missing the memo step. ")
    assert ArticleFeedback.objects.get().comment == "Missing the memo step."
    with pytest.raises(ValidationError):
        article_feedback_add(article=ArticleFactory(), helpful=True)


def test_search_log_is_normalised_and_click_only_local():
    search_log_record(query="  Deposit   NOT Arrived ", language="en", result_count=0)
    assert search_log_flush() == 1
    log = SearchQueryLog.objects.get()
    assert log.query == "deposit not arrived"
    assert normalise_query("ＢＴＣ") == "btc"  # noqa: RUF001 - full-width on purpose
    token = search_click_token(query="deposit  not arrived", language="en", result_count=0)
    assert not search_log_click(token=token, url="https://evil.example/")
    assert not search_log_click(token="forged", url="/help/articles/x/")
    log.refresh_from_db()
    assert log.clicked_url == ""
    assert search_log_click(token=token, url="/help/articles/x/")
    log.refresh_from_db()
    assert log.clicked_url == "/help/articles/x/"


def test_draft_from_gap():
    category = CategoryFactory()
    article = article_draft_from_gap(query="staking rewards", language="en", category=category)
    assert article.status == Article.Status.DRAFT
    assert article.title == "Staking rewards"
    again = article_draft_from_gap(query="staking rewards", language="en", category=category)
    assert again.slug != article.slug


def test_announcement_active_window():
    from knowledge.models import Announcement

    live = AnnouncementFactory()
    AnnouncementFactory(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    assert list(Announcement.objects.active()) == [live]
