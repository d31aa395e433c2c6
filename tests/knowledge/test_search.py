import html

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags
from haystack import connections
from haystack.query import SearchQuerySet

from knowledge.models import Article
from knowledge.search.analysis import CJKAnalyzer
from knowledge.selectors import (
    article_search,
    article_suggest,
    articles_related,
    articles_related_to_text,
    search_hits,
    search_spelling,
)
from knowledge.services import article_archive

from .factories import ArticleFactory, FaqEntryFactory, GlossaryTermFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _titles(sqs):
    return sorted(r.title for r in sqs)


def test_analyzer_makes_cjk_ngrams_and_stems_english():
    analyzer = CJKAnalyzer()
    tokens = [t.text for t in analyzer("BTC充币地址 withdrawals the 입금")]
    assert tokens == ["btc", "充币", "充币地", "币地", "币地址", "地址", "withdraw", "입금"]
    # A query's CJK word is one term up to three characters, else the AND of
    # its trigrams.
    query = [t.text for t in analyzer("充币地址 提币", mode="query")]
    assert query == ["充币地", "币地址", "提币"]


def test_chinese_words_of_three_and_four_characters():
    ArticleFactory(
        published=True, language="zh-hans", title="费率", body="永续合约的资金费率每八小时结算。"
    )
    # Every bigram and trigram-free pair of 资金费率 and 手续费, scattered.
    ArticleFactory(
        published=True,
        language="zh-hans",
        title="零散",
        body="资金到账。金费用。费率表。手续很多，续费。",  # noqa: RUF001 - real Chinese punctuation
    )
    assert _titles(article_search(query="资金费率", language="zh-hans")) == ["费率"]
    assert article_search(query="资金费率", language="zh-hans").count() == 1
    assert _titles(article_search(query="资金费率 合约", language="zh-hans")) == ["费率"]
    assert _titles(article_search(query="结算", language="zh-hans")) == ["费率"]
    assert list(article_search(query="手续费", language="zh-hans")) == []
    assert _titles(article_search(query="费率", language="zh-hans")) == ["费率", "零散"]


def test_snippet_marks_a_chinese_word():
    ArticleFactory(
        published=True, language="zh-hans", title="费率", body="永续合约的资金费率每八小时结算。"
    )
    (hit,) = search_hits(
        results=article_search(query="资金费率", language="zh-hans"), query="资金费率"
    )
    # Its two overlapping trigrams are marked as one.
    assert '<mark class="match term0">资金费率</mark>' in hit.snippet


def test_chinese_word_inside_a_sentence_is_found():
    ArticleFactory(
        published=True,
        language="zh-hans",
        title="资金未到账",
        body="如果您的充币长时间没有到账，请先检查网络。",  # noqa: RUF001 - real Chinese punctuation
    )
    assert _titles(article_search(query="充币", language="zh-hans")) == ["资金未到账"]
    # Bigrams are matched as a phrase: the characters must be adjacent.
    assert _titles(article_search(query="充到", language="zh-hans")) == []


def test_japanese_and_korean_words_are_found():
    ArticleFactory(
        published=True, language="ja", title="入金ガイド", body="日本円の入金方法を説明します。"
    )
    ArticleFactory(
        published=True, language="ko", title="입금 안내", body="원화 입금은 은행에서 합니다."
    )
    assert _titles(article_search(query="入金", language="ja")) == ["入金ガイド"]
    assert _titles(article_search(query="입금", language="ko")) == ["입금 안내"]


def test_english_stemming():
    ArticleFactory(published=True, title="Limits", body="Each withdrawal has a daily limit.")
    assert _titles(article_search(query="withdrawals", language="en")) == ["Limits"]


def test_search_filters_type_and_language():
    ArticleFactory(published=True, title="Deposit guide", body="deposit steps")
    FaqEntryFactory(question="Why is my deposit late?", answer="Confirmations.")
    GlossaryTermFactory(term="Deposit", definition="Money you send in.")
    ArticleFactory(published=True, language="zh-hans", title="deposit 中文", slug="zh-deposit")
    assert len(article_search(query="deposit", language="en")) == 3
    assert _titles(article_search(query="deposit", language="en", type="faq")) == [
        "Why is my deposit late?"
    ]
    assert _titles(article_search(query="deposit", language="zh-hans")) == ["deposit 中文"]


def test_query_syntax_is_not_interpreted():
    ArticleFactory(published=True, title="Fees", body="trading fees")
    assert _titles(article_search(query='fees AND ) ( "* :', language="en")) == ["Fees"]
    assert list(article_search(query="*** ()", language="en")) == []


def test_suggest_matches_middle_of_cjk_title_and_word_prefix():
    ArticleFactory(published=True, language="zh-hans", title="如何查询充币记录", slug="cx")
    ArticleFactory(published=True, title="Withdrawal limits", slug="wl")
    assert [s["title"] for s in article_suggest(query="充币", language="zh-hans")] == [
        "如何查询充币记录"
    ]
    assert [s["title"] for s in article_suggest(query="withdr", language="en")] == [
        "Withdrawal limits"
    ]
    assert article_suggest(query="limits withd", language="en")[0]["url"] == "/help/articles/wl/"
    assert article_suggest(query="", language="en") == []


def test_suggest_returns_at_most_eight():
    for i in range(12):
        ArticleFactory(published=True, title=f"Deposit case {i}")
    assert len(article_suggest(query="dep", language="en")) == 8


def test_draft_never_indexed_and_archiving_removes():
    ArticleFactory(title="Secret draft", body="zorblaxian plan")
    assert list(article_search(query="zorblaxian", language="en")) == []
    assert article_suggest(query="secret", language="en") == []
    article = ArticleFactory(published=True, title="Live", body="quokkafish")
    assert _titles(article_search(query="quokkafish", language="en")) == ["Live"]
    article_archive(article=article)
    assert list(article_search(query="quokkafish", language="en")) == []


def test_deleting_removes_from_index():
    article = ArticleFactory(published=True, title="Gone", body="platypoid")
    article.delete()
    assert list(article_search(query="platypoid", language="en")) == []


def test_spelling_suggestion_on_zero_hits():
    ArticleFactory(published=True, title="Withdrawal", body="confirmation confirmation network")
    assert list(article_search(query="confirmaton", language="en")) == []
    assert search_spelling(query="confirmaton") == "confirmation"
    assert search_spelling(query="confirmation") is None


def test_related_to_text():
    wanted = ArticleFactory(published=True, title="Missing memo", body="memo tag deposit XRP")
    ArticleFactory(published=True, title="Other", body="leverage margin")
    related = articles_related_to_text(text="I forgot the memo on my XRP", language="en")
    assert related == [wanted]


def test_verify_command_repairs_index(capsys):
    live = ArticleFactory(published=True, title="Live", body="narwhalian")
    draft = ArticleFactory(title="Draft", body="narwhalian")
    backend = connections["default"].get_backend()
    backend.clear()
    # Simulate a leak: index the draft directly, bypassing the task.
    index = connections["default"].get_unified_index().get_index(Article)
    backend.update(index, [draft])
    call_command("search_index_verify")
    out = capsys.readouterr().out
    assert "knowledge.article: indexed 1, missing: 1, extra: 1" in out
    call_command("search_index_verify", "--repair")
    assert [int(r.pk) for r in SearchQuerySet().models(Article)] == [live.pk]


def _shown(query: str) -> list[str]:
    """Snippets as a browser shows them: tags dropped, entities decoded once."""
    hits = search_hits(results=article_search(query=query, language="en"), query=query)
    return [html.unescape(strip_tags(hit.snippet)) for hit in hits]


def test_snippets_are_escaped_exactly_once():
    ArticleFactory(
        published=True,
        title="Orders",
        body="Open Orders > History: you can't cancel <filled> ones.",
    )
    FaqEntryFactory(question="Why can't I cancel?", answer="Fees & limits > zero.")
    GlossaryTermFactory(term="Maker", definition="Fees < 0.1% can't apply to makers & takers.")

    article, faq = sorted(_shown("cancel"), key=len, reverse=True)
    (term,) = _shown("maker")

    assert "Orders > History: you can't cancel <filled> ones" in article
    assert "Why can't I cancel?" in faq and "Fees & limits > zero" in faq
    assert "Fees < 0.1% can't apply to makers & takers" in term


def test_reused_searcher_sees_every_index_change():
    backend = connections["default"].get_backend()
    first = ArticleFactory(published=True, title="First", body="gryphonite")
    assert _titles(article_search(query="gryphonite", language="en")) == ["First"]
    searcher = backend.searcher()
    assert backend.searcher() is searcher  # unchanged index: the same searcher

    ArticleFactory(published=True, title="Second", body="gryphonite")
    assert _titles(article_search(query="gryphonite", language="en")) == ["First", "Second"]

    backend.clear()  # a rebuild starts the generations again
    assert list(article_search(query="gryphonite", language="en")) == []
    index = connections["default"].get_unified_index().get_index(Article)
    backend.update(index, [first])
    assert _titles(article_search(query="gryphonite", language="en")) == ["First"]


def test_related_articles_stay_in_language_and_type():
    memo = ArticleFactory(published=True, title="Memo", body="memo tag deposit ripple")
    similar = ArticleFactory(published=True, title="Tag", body="memo tag deposit")
    ArticleFactory(published=True, language="zh-hans", title="备注", body="memo tag deposit")
    FaqEntryFactory(question="Memo?", answer="memo tag deposit")
    assert articles_related(article=memo) == [similar]
