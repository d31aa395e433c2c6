"""When nothing matches in the reader's language, search falls back to English content."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from knowledge.models import SearchQueryLog
from knowledge.selectors import article_search_for_reader
from knowledge.services import search_log_flush

from .factories import ArticleFactory, CategoryFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH = reverse("knowledge:search")
API = "/api/kb/search/"


def _titles(results) -> list[str]:
    return sorted(r.title for r in results)


def _notice(language_name: str) -> str:
    with translation.override("zh-hans"):
        return gettext("No results in %(language)s; showing English results instead.") % {
            "language": language_name
        }


def test_no_hits_in_chinese_falls_back_to_english():
    ArticleFactory(published=True, title="Staking rewards", body="staking payouts")
    found = article_search_for_reader(query="staking", language="zh-hans")
    assert found.fallback_language == "en"
    assert found.language == "en"
    assert _titles(found.results) == ["Staking rewards"]


def test_hits_in_chinese_mean_no_fallback():
    ArticleFactory(published=True, title="Staking rewards", body="staking")
    ArticleFactory(published=True, language="zh-hans", title="staking 奖励", slug="zh-staking")
    found = article_search_for_reader(query="staking", language="zh-hans")
    assert found.fallback_language is None
    assert _titles(found.results) == ["staking 奖励"]


def test_english_readers_never_fall_back():
    ArticleFactory(published=True, language="zh-hans", title="staking 奖励", slug="zh-staking")
    found = article_search_for_reader(query="staking", language="en")
    assert found.fallback_language is None
    assert found.language == "en"
    assert list(found.results) == []


def test_nothing_anywhere_stays_in_the_readers_language():
    found = article_search_for_reader(query="qwzxqq", language="zh-hans")
    assert found.fallback_language is None
    assert found.language == "zh-hans"
    assert found.results.count() == 0


def test_fallback_keeps_type_and_category_filters_and_hides_drafts():
    deposits, other = CategoryFactory(), CategoryFactory()
    ArticleFactory(published=True, category=deposits, title="Staking article", body="staking")
    ArticleFactory(category=deposits, title="Staking draft", body="staking")
    FaqEntryFactory(category=deposits, question="What is staking?")
    FaqEntryFactory(category=other, question="Staking elsewhere?")
    found = article_search_for_reader(
        query="staking", language="zh-hans", type="faq", category=deposits
    )
    assert found.fallback_language == "en"
    assert _titles(found.results) == ["What is staking?"]
    everything = article_search_for_reader(query="staking", language="zh-hans", category=deposits)
    assert _titles(everything.results) == ["Staking article", "What is staking?"]


def test_search_page_shows_english_results_with_a_chinese_notice(client):
    ArticleFactory(published=True, title="Staking rewards", body="staking payouts")
    response = client.get(SEARCH, {"q": "staking"}, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    body = response.content.decode()
    assert _notice("简体中文") in body
    assert "没有找到简体中文内容，以下为英文结果。" in body  # noqa: RUF001
    assert 'lang="en">Staking rewards</button>' in body
    # The gap is logged against the reader's language, so editors still see it.
    search_log_flush()
    log = SearchQueryLog.objects.get()
    assert (log.language, log.result_count) == ("zh-hans", 0)


def test_search_page_has_no_notice_without_fallback(client):
    ArticleFactory(published=True, language="zh-hans", title="staking 奖励", slug="zh-staking")
    zh = client.get(SEARCH, {"q": "staking"}, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "staking 奖励" in zh
    assert "kb-notice" not in zh
    en = client.get(SEARCH, {"q": "qwzxqq"}).content.decode()
    assert "kb-notice" not in en
    assert "Nothing matches" in en


def test_api_reports_the_fallback_language(client):
    ArticleFactory(published=True, title="Staking rewards", body="staking payouts")
    data = client.get(API, {"q": "staking", "lang": "zh-hans"}).json()
    assert data["fallback_language"] == "en"
    assert data["count"] == 1
    assert [(h["title"], h["language"]) for h in data["results"]] == [("Staking rewards", "en")]
    search_log_flush()
    assert SearchQueryLog.objects.get().result_count == 0


def test_api_fallback_language_is_null_otherwise(client):
    ArticleFactory(published=True, title="Staking rewards", body="staking payouts")
    ArticleFactory(published=True, language="zh-hans", title="充币指南", slug="zh-deposit")
    english = client.get(API, {"q": "staking", "lang": "en"}).json()
    assert english["fallback_language"] is None and english["count"] == 1
    chinese = client.get(API, {"q": "充币", "lang": "zh-hans"}).json()
    assert chinese["fallback_language"] is None and chinese["count"] == 1
    nothing = client.get(API, {"q": "qwzxqq", "lang": "zh-hans"}).json()
    assert nothing["fallback_language"] is None and nothing["count"] == 0
