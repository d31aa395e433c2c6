"""The Whoosh backend's own paths: bulk index writes and the ranking of
large matches, checked against whoosh's own results."""

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh import query as wq

from knowledge.models import Article
from knowledge.search import backend as search_backend
from knowledge.selectors import article_search

from .factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _bulk_articles(count: int) -> list[Article]:
    """Published articles created without signals, so nothing is indexed yet."""
    category = CategoryFactory()
    fillers = ["wallet", "network", "limit", "margin", "account", "order", "review"]
    rows = []
    for i in range(count):
        words = ["deposit"] * (1 + i % 9) + [fillers[j % 7] for j in range(i % 13)]
        if i % 3 == 0:
            words.append("network")
        article = ArticleFactory.build(
            published=True, category=category, title=f"Bulk {i}", body=" ".join(words)
        )
        rows.append(article)
    Article.objects.bulk_create(rows)
    return list(Article.objects.order_by("pk"))


def _backend():
    return connections["default"].get_backend()


def test_bulk_updates_replace_documents_and_rebuild_finds_all(monkeypatch):
    monkeypatch.setattr(search_backend, "BULK_MIN", 5)
    articles = _bulk_articles(30)
    index = connections["default"].get_unified_index().get_index(Article)
    backend = _backend()
    backend.update(index, articles)
    backend.update(index, articles)  # a second run replaces, never duplicates
    assert backend.searcher().doc_count() == 30

    call_command("rebuild_index", interactive=False, verbosity=0, batchsize=5)
    searcher = backend.searcher()
    assert searcher.doc_count() == 30
    # Six batches, each its own segment: fewer than MERGE_FACTOR, none merged.
    assert len(searcher.leaf_searchers()) == 6
    assert article_search(query="deposit", language="en").count() == 30


def test_bulk_batches_are_merged_in_tiers(monkeypatch):
    monkeypatch.setattr(search_backend, "BULK_MIN", 2)
    _bulk_articles(20)
    call_command("rebuild_index", interactive=False, verbosity=0, batchsize=2)
    searcher = _backend().searcher()
    # Ten batches of two: the eighth merged the first seven into itself.
    assert len(searcher.leaf_searchers()) == 3
    assert searcher.doc_count() == 20
    assert article_search(query="deposit", language="en").count() == 20


@pytest.mark.parametrize("words", [["deposit"], ["deposit", "network"], ["network", "wallet"]])
def test_ranking_matches_whoosh(words):
    _bulk_articles(120)
    call_command("rebuild_index", interactive=False, verbosity=0, batchsize=50)
    backend = _backend()
    searcher = backend.searcher()
    q = wq.And([wq.Term("text", w) for w in words]) if len(words) > 1 else wq.Term("text", words[0])
    _, allowed = backend._split_filters(searcher, wq.And([q, wq.Term("language", "en")]))
    expected = searcher.search(q, limit=10, filter=allowed.docs)
    found = search_backend._ranked_terms(searcher, q, allowed, 10)
    assert len(found) == len(searcher.search(q, limit=None, filter=allowed.docs))
    assert [round(score, 6) for score, _ in found.top_n] == [
        round(hit.score, 6) for hit in expected
    ]
    # The haystack path ranks the same way.
    results = article_search(query=" ".join(words), language="en")
    assert [r.score for r in results[:10]] == pytest.approx([hit.score for hit in expected])


def test_ranking_of_any_word_matches_whoosh():
    """A ticket's words (an OR, some of them ANDed n-grams) rank as whoosh
    ranks them, with the whole union counted."""
    _bulk_articles(120)
    call_command("rebuild_index", interactive=False, verbosity=0, batchsize=50)
    backend = _backend()
    searcher = backend.searcher()
    q = wq.Or(
        [
            wq.Term("text", "network"),
            wq.And([wq.Term("text", "wallet"), wq.Term("text", "margin")]),
            wq.Term("text", "review"),
        ]
    )
    _, allowed = backend._split_filters(searcher, wq.And([q, wq.Term("language", "en")]))
    expected = searcher.search(q, limit=10, filter=allowed.docs)
    found = search_backend._ranked_terms(searcher, q, allowed, 10)
    assert len(found) == len(searcher.search(q, limit=None, filter=allowed.docs)) > 10
    assert [round(score, 6) for score, _ in found.top_n] == [
        round(hit.score, 6) for hit in expected
    ]


def test_related_articles_rank_as_whoosh_and_only_the_page_is_read(monkeypatch):
    articles = _bulk_articles(120)
    call_command("rebuild_index", interactive=False, verbosity=0, batchsize=50)
    backend = _backend()
    searcher = backend.searcher()
    article = articles[7]
    docnum = searcher.document_number(id=f"knowledge.article.{article.pk}")
    key_terms = searcher.key_terms([docnum], "text", numterms=10)
    similar = wq.Or([wq.Term("text", text, boost=weight) for text, weight in key_terms])
    expected = searcher.search(similar, limit=5, mask={docnum})

    found = backend.more_like_this(article, end_offset=5)

    assert found["hits"] == len(searcher.search(similar, limit=None, mask={docnum})) > 5
    assert [round(r.score, 6) for r in found["results"]] == [
        round(hit.score, 6) for hit in expected
    ]
    assert article.pk not in [int(r.pk) for r in found["results"]]
    # Through haystack, a slice asks the backend for that many, not all.
    asked = []
    more_like_this = type(backend).more_like_this

    def spy(self, instance, *args, **kwargs):
        asked.append(kwargs.get("end_offset"))
        return more_like_this(self, instance, *args, **kwargs)

    monkeypatch.setattr(type(backend), "more_like_this", spy)
    related = SearchQuerySet().models(Article).more_like_this(article)[:3]
    assert [int(r.pk) for r in related] == [int(r.pk) for r in found["results"][:3]]
    assert asked == [3]


def test_array_codec_blocks_read_as_whoosh_blocks():
    """Postings written by ArrayCodec read back through whoosh's own matchers
    exactly as those written by whoosh's codec, and through _term_arrays."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from knowledge.search.codec import ArrayCodec

    texts = [" ".join(["deposit"] * (1 + i % 5) + ["network"] * (i % 3)) for i in range(700)]
    postings = {}
    for codec in (W3Codec(blocklimit=64), ArrayCodec(blocklimit=64)):
        index = RamStorage().create_index(Schema(body=TEXT(phrase=False)))
        writer = index.writer(codec=codec)
        for text in texts:
            writer.add_document(body=text)
        writer.commit()
        with index.searcher() as searcher:
            matcher = searcher.reader().postings("body", "network")
            listed = []
            while matcher.is_active():
                listed.append((matcher.id(), matcher.weight()))
                matcher.next()
            ids, weights = search_backend._term_arrays(searcher, "body", "network")
            assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == listed
            postings[type(codec)] = listed
    assert postings[W3Codec] == postings[ArrayCodec]
