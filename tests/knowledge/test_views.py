import re

import pytest
from django.test import Client
from django.urls import reverse

from knowledge.models import ArticleFeedback, SearchQueryLog
from knowledge.services import article_views_flush, search_log_flush
from tests.factories import UserFactory

from .factories import (
    AnnouncementFactory,
    ArticleFactory,
    CategoryFactory,
    FaqEntryFactory,
    GlossaryTermFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _zh(client):
    client.cookies["portal_language"] = "zh-hans"
    session = client.session
    session["_language"] = "zh-hans"
    session.save()


def test_home_shows_categories_popular_and_announcements(client):
    ArticleFactory(published=True, title="Most read", view_count=50)
    AnnouncementFactory()
    response = client.get("/")
    body = response.content.decode()
    assert "Most read" in body
    assert "Beware of fake support accounts on Telegram" in body
    assert "knowledge.js" in body


def test_article_page_toc_glossary_feedback_and_views(client):
    GlossaryTermFactory(term="memo", definition="A note for the exchange.")
    article = ArticleFactory(published=True, body="## Add the memo\n\nAlways add the memo.")
    response = client.get(article.get_absolute_url())
    body = response.content.decode()
    assert 'href="#h-add-the-memo"' in body
    assert 'role="tooltip"' in body
    assert "csrfmiddlewaretoken" not in body  # anonymous: the page is cached whole
    article_views_flush()
    article.refresh_from_db()
    assert article.view_count == 1
    response = client.post(
        reverse("knowledge:article-feedback", args=[article.pk]), {"helpful": "no", "comment": "x"}
    )
    assert response.status_code == 302
    assert ArticleFeedback.objects.get().helpful is False
    bad = client.post(reverse("knowledge:article-feedback", args=[article.pk]), {"helpful": "x"})
    assert bad.status_code == 302 and ArticleFeedback.objects.count() == 1


def test_draft_page_is_404(client):
    article = ArticleFactory(title="Hidden")
    assert client.get(article.get_absolute_url()).status_code == 404


def test_english_fallback_with_notice_and_translation_redirect(client):
    en = ArticleFactory(published=True, slug="fees", title="Fees")
    _zh(client)
    response = client.get(en.get_absolute_url())
    assert "shown in English" in response.content.decode() or "英文" in response.content.decode()
    zh = ArticleFactory(
        published=True,
        language="zh-hans",
        slug="fees-zh",
        title="费用",
        translation_group=en.translation_group,
    )
    response = client.get(en.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == zh.get_absolute_url()


def test_search_page_highlights_logs_and_paginates(client):
    for i in range(12):
        ArticleFactory(published=True, title=f"Deposit {i}", body="deposit delayed")
    response = client.get(reverse("knowledge:search"), {"q": "deposit"})
    body = response.content.decode()
    assert "12 results" in body
    assert '<mark class="match' in body
    search_log_flush()
    assert SearchQueryLog.objects.get().result_count == 12
    assert (
        client.get(reverse("knowledge:search"), {"q": "deposit", "page": "99"}).status_code == 200
    )
    assert (
        client.get(reverse("knowledge:search"), {"q": "deposit", "type": "zzz"}).status_code == 200
    )


def _click_token(body: str) -> str:
    return re.search(r'name="search" value="([^"]+)"', body).group(1)


def test_search_click_logs_and_redirects(client):
    article = ArticleFactory(published=True, title="Fees", body="fees")
    body = client.get(reverse("knowledge:search"), {"q": "fees"}).content.decode()
    assert "csrfmiddlewaretoken" not in body
    click = reverse("knowledge:search-click")
    response = client.post(click, {"search": _click_token(body), "to": article.get_absolute_url()})
    assert response["Location"] == article.get_absolute_url()
    log = SearchQueryLog.objects.get()  # the click wrote the buffered search first
    assert (log.query, log.result_count, log.clicked_url) == ("fees", 1, article.get_absolute_url())
    evil = client.post(click, {"search": _click_token(body), "to": "//evil.example"})
    assert evil["Location"] == "/"
    forged = client.post(click, {"search": _click_token(body) + "x", "to": "/help/x/"})
    assert forged.status_code == 302
    assert list(SearchQueryLog.objects.values_list("clicked_url", flat=True)) == [
        article.get_absolute_url()
    ]


def test_signed_in_click_needs_csrf(client):
    ArticleFactory(published=True, title="Fees", body="fees")
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(UserFactory())
    page = signed_in.get(reverse("knowledge:search"), {"q": "fees"})
    body = page.content.decode()
    assert "csrfmiddlewaretoken" in body
    click = reverse("knowledge:search-click")
    data = {"search": _click_token(body), "to": "/help/articles/x/"}
    assert signed_in.post(click, data).status_code == 403
    data["csrfmiddlewaretoken"] = page.context["csrf_token"]
    assert signed_in.post(click, data).status_code == 302
    assert SearchQueryLog.objects.get().clicked_url == "/help/articles/x/"


def test_zero_hits_offers_ticket_and_did_you_mean(client):
    ArticleFactory(published=True, title="Confirmation", body="confirmation confirmation")
    response = client.get(reverse("knowledge:search"), {"q": "confirmaton"})
    body = response.content.decode()
    assert "Contact support" in body
    assert "confirmation</a>?" in body


def test_draft_word_never_on_search_page(client):
    ArticleFactory(title="Draft", body="snorkelwhale")
    body = client.get(reverse("knowledge:search"), {"q": "snorkelwhale"}).content.decode()
    assert "Nothing matches" in body


def test_category_faq_and_glossary_pages(client):
    category = CategoryFactory()
    child = CategoryFactory(parent=category)
    ArticleFactory(published=True, category=child, title="In child")
    FaqEntryFactory(category=category, question="How long?", answer="**Soon**")
    term = GlossaryTermFactory(term="Address", definition="Where coins go.")
    assert "In child" in client.get(category.get_absolute_url()).content.decode()
    faq = client.get(reverse("knowledge:faq")).content.decode()
    assert "<details" in faq and "<strong>Soon</strong>" in faq
    assert "Address" in client.get(reverse("knowledge:glossary")).content.decode()
    assert "Where coins go." in client.get(term.get_absolute_url()).content.decode()
    assert client.get(category.get_absolute_url() + "?page=abc").status_code == 200
