import pytest
from django.core.cache import cache

from knowledge.models import ArticleFeedback

from .factories import ArticleFactory, CategoryFactory, FaqEntryFactory, GlossaryTermFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_happy_path(client):
    category = CategoryFactory(slug="deposits")
    ArticleFactory(
        published=True, category=category, title="Deposit missing", body="Check the TXID."
    )
    response = client.get("/api/kb/search/", {"q": "txid", "lang": "en"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["suggestion"] is None
    hit = data["results"][0]
    assert set(hit) == {"type", "id", "title", "url", "snippet", "language", "category"}
    assert hit["type"] == "article" and hit["category"] == "Deposits"
    filtered = client.get("/api/kb/search/", {"q": "txid", "category": "deposits", "type": "faq"})
    assert filtered.json()["count"] == 0


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "   "}, {"q": "x", "type": "video"}, {"q": "x", "lang": "xx"}],
)
def test_search_bad_input_is_400_with_message(client, params):
    response = client.get("/api/kb/search/", params)
    assert response.status_code == 400
    assert response.json()


def test_search_bad_page_is_404(client):
    ArticleFactory(published=True, title="Fees", body="fees")
    assert client.get("/api/kb/search/", {"q": "fees", "page": "7"}).status_code == 404
    assert client.get("/api/kb/search/", {"q": "fees", "page": "abc"}).status_code == 404


def test_suggest_and_draft_never_leaks(client):
    ArticleFactory(published=True, language="zh-hans", title="如何查询充币记录", slug="cb")
    ArticleFactory(title="Draft walrusoid", body="walrusoid")
    data = client.get("/api/kb/suggest/", {"q": "充币", "lang": "zh-hans"}).json()
    assert data["results"] == [
        {"title": "如何查询充币记录", "url": "/help/articles/cb/", "type": "article"}
    ]
    assert client.get("/api/kb/suggest/", {"q": "walrus"}).json()["results"] == []
    assert client.get("/api/kb/search/", {"q": "walrusoid"}).json()["count"] == 0
    assert client.get("/api/kb/suggest/").status_code == 400


def test_read_only_endpoints_are_public_and_published_only(client):
    live = ArticleFactory(published=True, kind="tutorial")
    ArticleFactory(title="draft")
    FaqEntryFactory()
    FaqEntryFactory(is_published=False)
    GlossaryTermFactory()
    articles = client.get("/api/kb/articles/").json()
    assert [a["id"] for a in articles["results"]] == [live.pk]
    assert client.get("/api/kb/articles/", {"kind": "article"}).json()["count"] == 0
    assert client.get(f"/api/kb/articles/{live.pk}/").json()["body_html"].startswith("<h2")
    assert client.get("/api/kb/faqs/").json()["count"] == 1
    assert client.get("/api/kb/glossary/").json()["count"] == 1
    assert client.get("/api/kb/categories/").status_code == 200
    assert client.get("/api/kb/articles/", {"kind": "bogus"}).status_code == 400


def test_feedback_validation_and_throttle(client, settings):
    article = ArticleFactory(published=True)
    url = f"/api/kb/articles/{article.pk}/feedback/"
    assert (
        client.post(url, {"comment": "no vote"}, content_type="application/json").status_code == 400
    )
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    draft = ArticleFactory()
    assert (
        client.post(
            f"/api/kb/articles/{draft.pk}/feedback/",
            {"helpful": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    cache.clear()
    statuses = [
        client.post(
            url, {"helpful": True, "comment": "thanks"}, content_type="application/json"
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [201] * 10
    assert statuses[10] == 429
    assert ArticleFeedback.objects.count() == 10


def test_schema_includes_kb(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/kb/search/", "/api/kb/suggest/", "/api/kb/articles/{id}/feedback/"):
        assert path in schema
