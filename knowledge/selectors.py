"""Every read of the knowledge base. Only this module touches haystack's
SearchQuerySet, so moving from Whoosh to Elasticsearch is a settings change."""

import datetime
import hashlib
import string
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from haystack import connections
from haystack.inputs import Raw
from haystack.query import SQ, SearchQuerySet

from support_portal.pagecache import DEFAULT_TIMEOUT, page_generation

from .models import (
    FALLBACK_LANGUAGE,
    Announcement,
    Article,
    Category,
    FaqEntry,
    GlossaryTerm,
    SearchQueryLog,
)
from .rendering import GlossaryLink, Rendered, render_markdown
from .search.analysis import highlighted_snippet, query_terms
from .search_indexes import index_language

SEARCH_TYPES = {"article": Article, "faq": FaqEntry, "glossary": GlossaryTerm}
# Cache generations, bumped by knowledge.receivers and knowledge.tasks.
PAGE_CACHE = "kb"
GLOSSARY_CACHE = "kb-glossary"


def _fragment_timeout() -> int:
    # Generations make a shared cache (Redis) exact; a per-process cache only
    # sees its own process's bumps, so there the timeout bounds staleness.
    return 3600 if getattr(settings, "CACHE_IS_SHARED", False) else DEFAULT_TIMEOUT


def _in_language(qs: QuerySet, language: str) -> QuerySet:
    """Rows in the reader's language, plus English rows that have no version
    in it (the English fallback)."""
    if language == FALLBACK_LANGUAGE:
        return qs.filter(language=FALLBACK_LANGUAGE)
    translated = qs.model.objects.filter(language=language).values("translation_group")
    return qs.filter(
        Q(language=language)
        | (Q(language=FALLBACK_LANGUAGE) & ~Q(translation_group__in=translated))
    )


# --- Categories --------------------------------------------------------------


def categories_top() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).prefetch_related(
        Prefetch("children", queryset=Category.objects.order_by("order", "slug"))
    )


@dataclass(frozen=True)
class FilterCategory:
    slug: str
    name: str
    children: tuple["FilterCategory", ...] = ()


def categories_for_filter() -> list[FilterCategory]:
    """Top categories and their children for the search filter, named in the
    interface language. Cached until content changes."""
    key = f"knowledge:filter-categories:{page_generation(PAGE_CACHE)}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = [
            FilterCategory(
                slug=c.slug,
                name=c.name,
                children=tuple(FilterCategory(slug=k.slug, name=k.name) for k in c.children.all()),
            )
            for c in categories_top()
        ]
        cache.set(key, found, _fragment_timeout())
    return found


def category_by_slug(*, slug: str) -> Category:
    category = Category.objects.select_related("parent").filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def category_by_slug_or_none(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first() if slug else None


def articles_in_category(*, category: Category, language: str) -> QuerySet[Article]:
    published = Article.objects.published().filter(
        Q(category=category) | Q(category__parent=category)
    )
    return _in_language(published, language).select_related("category").order_by("title")


# --- Articles ----------------------------------------------------------------


def articles_popular(*, language: str, limit: int = 6) -> list[Article]:
    return list(
        _in_language(Article.objects.published(), language)
        .select_related("category")
        .order_by("-view_count", "title")[:limit]
    )


def articles_review_due() -> QuerySet[Article]:
    """Stale content for editors: published and past its review-by date."""
    return Article.objects.review_due().select_related("category").order_by("review_by")


@dataclass
class ArticlePage:
    article: Article
    requested_language: str
    redirect_to: str | None = None
    translations: list[Article] = field(default_factory=list)

    @property
    def is_fallback(self) -> bool:
        return self.article.language != self.requested_language


def article_for_reader(*, slug: str, language: str) -> ArticlePage:
    """The published article with this slug, in the reader's language when a
    version exists (redirect_to points at it), else as found (fallback)."""
    candidates = list(
        Article.objects.published().filter(slug=slug).select_related("category", "category__parent")
    )
    if not candidates:
        raise Http404
    article = next((a for a in candidates if a.language == language), candidates[0])
    siblings = list(
        Article.objects.published()
        .filter(translation_group=article.translation_group)
        .exclude(pk=article.pk)
        .order_by("language")
    )
    page = ArticlePage(article=article, requested_language=language, translations=siblings)
    if article.language != language:
        own = next((a for a in siblings if a.language == language), None)
        if own is not None:
            page.redirect_to = own.get_absolute_url()
    return page


def glossary_links(*, language: str) -> list[GlossaryLink]:
    terms = GlossaryTerm.objects.published().filter(language=language)
    return [
        GlossaryLink(
            pk=t.pk,
            term=t.term,
            aliases=tuple(t.aliases or ()),
            definition=t.definition,
            url=t.get_absolute_url(),
        )
        for t in terms
    ]


def article_rendered(*, article: Article) -> Rendered:
    """The sanitised body with glossary links. Cached per version of the
    article and of the glossary, so it is shared by every reader."""
    key = (
        f"knowledge:rendered:{article.pk}:{article.updated_at.timestamp()}:"
        f"{page_generation(GLOSSARY_CACHE)}"
    )
    rendered = cache.get(key)
    if rendered is None:
        rendered = render_markdown(article.body, glossary=glossary_links(language=article.language))
        cache.set(key, rendered, _fragment_timeout())
    return rendered


def article_breadcrumbs(*, article: Article) -> list[Category]:
    category = article.category
    parent = category.parent if category.parent_id else None
    return [parent, category] if parent is not None else [category]


def articles_related(*, article: Article, limit: int = 3) -> list[Article]:
    """Similar published articles in the same language (more_like_this),
    cached until any content changes."""
    key = f"knowledge:related:{page_generation(PAGE_CACHE)}:{article.pk}:{limit}"
    related = cache.get(key)
    if related is None:
        related = _articles_related(article=article, limit=limit)
        cache.set(key, related, _fragment_timeout())
    return related


def _articles_related(*, article: Article, limit: int) -> list[Article]:
    try:
        results = (
            SearchQuerySet()
            .models(Article)
            .more_like_this(article)
            .filter(language=index_language(article.language))[: limit + 1]
        )
        ids = [int(r.pk) for r in results if int(r.pk) != article.pk][:limit]
    except Exception:
        return []
    found = Article.objects.published().in_bulk(ids)
    return [found[i] for i in ids if i in found]


def articles_scheduled_due(*, since: datetime.datetime, until: datetime.datetime) -> list[int]:
    """Ids of scheduled articles whose publish time fell in (since, until]
    and that readers may now see."""
    return list(
        Article.objects.published()
        .filter(publish_at__gt=since, publish_at__lte=until)
        .values_list("pk", flat=True)
    )


def announcements_active(*, language: str) -> list[Announcement]:
    return list(_in_language(Announcement.objects.active(), language).order_by("-starts_at"))


# --- FAQ and glossary --------------------------------------------------------


def faq_grouped(*, language: str) -> list[tuple[Category, list[FaqEntry]]]:
    entries = _in_language(FaqEntry.objects.published(), language).select_related("category")
    groups: dict[int, tuple[Category, list[FaqEntry]]] = {}
    for entry in entries.order_by("category__order", "category__slug", "order", "question"):
        groups.setdefault(entry.category_id, (entry.category, []))[1].append(entry)
    return list(groups.values())


def glossary_az(*, language: str) -> list[tuple[str, list[GlossaryTerm]]]:
    """Terms grouped by initial letter; terms not starting A-Z go under "#"."""
    letters: dict[str, list[GlossaryTerm]] = {}
    for term in _in_language(GlossaryTerm.objects.published(), language).order_by("term"):
        initial = term.term[:1].upper()
        letters.setdefault(initial if initial in string.ascii_uppercase else "#", []).append(term)
    return sorted(letters.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def glossary_term_for_reader(*, slug: str, language: str) -> GlossaryTerm:
    terms = list(GlossaryTerm.objects.published().filter(slug=slug).select_related("article"))
    if not terms:
        raise Http404
    return next((t for t in terms if t.language == language), terms[0])


# --- Search ------------------------------------------------------------------


@dataclass
class SearchHit:
    type: str
    id: int
    title: str
    url: str
    snippet: str
    language: str
    category: str


@dataclass
class SearchOutcome:
    query: str
    hits: list[SearchHit]
    count: int
    suggestion: str | None
    language: str


def _content_query(query: str) -> str | None:
    # Only words and CJK runs reach the parser, so user input is never
    # query syntax; each CJK run becomes a phrase of bigrams in the backend.
    terms = query_terms(query)
    return " ".join(terms) if terms else None


def article_search(
    *,
    query: str,
    language: str,
    type: str | None = None,
    category: Category | None = None,
) -> SearchQuerySet:
    """Published articles, FAQ entries and glossary terms matching every
    word of the query, in one language."""
    content = _content_query(query)
    sqs = SearchQuerySet()
    if content is None:
        return sqs.none()
    models = [SEARCH_TYPES[type]] if type else list(SEARCH_TYPES.values())
    sqs = sqs.models(*models).filter(content=content).filter(language=index_language(language))
    if category is not None:
        ids = [category.pk, *category.children.values_list("pk", flat=True)]
        clause = SQ(category=Raw(str(ids[0])))
        for pk in ids[1:]:
            clause |= SQ(category=Raw(str(pk)))
        sqs = sqs.filter(clause)
    return sqs


@dataclass
class ReaderSearch:
    """What a reader's search shows: `results` are in `language`, which is the
    English fallback (and `fallback_language` says so) when nothing matched in
    the language the reader searched in."""

    results: SearchQuerySet
    language: str
    fallback_language: str | None = None


def article_search_for_reader(
    *,
    query: str,
    language: str,
    type: str | None = None,
    category: Category | None = None,
) -> ReaderSearch:
    """article_search() in the reader's language; when that finds nothing and
    the language is not English, the same search over English content, the
    fallback language of the whole help centre (as in _in_language)."""
    results = article_search(query=query, language=language, type=type, category=category)
    if language == FALLBACK_LANGUAGE or results.count():
        return ReaderSearch(results=results, language=language)
    english = article_search(query=query, language=FALLBACK_LANGUAGE, type=type, category=category)
    if not english.count():
        return ReaderSearch(results=results, language=language)
    return ReaderSearch(
        results=english, language=FALLBACK_LANGUAGE, fallback_language=FALLBACK_LANGUAGE
    )


@dataclass
class SearchPage:
    """One page of a reader's search, ready to show (and to cache): `count`
    hits in `language`, which is the English fallback when `fallback_language`
    is set. `suggestion` is offered when there are few hits."""

    hits: list[SearchHit]
    count: int
    number: int
    per_page: int
    suggestion: str | None
    language: str
    fallback_language: str | None = None

    def page(self) -> Page:
        """A Django Page for the pagination controls."""
        return Paginator(range(self.count), self.per_page).get_page(self.number)


FEW_HITS = 2


def search_page_for_reader(
    *,
    query: str,
    language: str,
    type: str | None = None,
    category: Category | None = None,
    page: int = 1,
    per_page: int = 10,
) -> SearchPage:
    """article_search_for_reader(), one page of hits with snippets, and a
    spelling suggestion when there are few hits. Cached until content
    changes: the same query, filters and page render the same results for
    every reader. A page past the end gives the last page."""
    terms = query_terms(query)
    key_parts = (terms, language, type, category.pk if category else None, page, per_page)
    digest = hashlib.blake2b(repr(key_parts).encode(), digest_size=16).hexdigest()
    # Category names in the hits follow the interface language.
    key = f"knowledge:search:{page_generation(PAGE_CACHE)}:{get_language()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _search_page(
            query=query,
            language=language,
            type=type,
            category=category,
            page=page,
            per_page=per_page,
        )
        cache.set(key, found, _fragment_timeout())
    return found


def _search_page(
    *,
    query: str,
    language: str,
    type: str | None,
    category: Category | None,
    page: int,
    per_page: int,
) -> SearchPage:
    found = article_search_for_reader(query=query, language=language, type=type, category=category)
    results = Paginator(found.results, per_page).get_page(page)
    count = results.paginator.count
    return SearchPage(
        hits=search_hits(results=results.object_list, query=query),
        count=count,
        number=results.number,
        per_page=per_page,
        suggestion=None if count > FEW_HITS else search_spelling(query=query),
        language=found.language,
        fallback_language=found.fallback_language,
    )


def search_spelling(*, query: str) -> str | None:
    backend = connections["default"].get_backend()
    if hasattr(backend, "spelling_for"):
        return backend.spelling_for(query)
    suggestion = SearchQuerySet().auto_query(query).spelling_suggestion()
    return suggestion if suggestion and suggestion != query else None


def search_hits(*, results, query: str) -> list[SearchHit]:
    """Turn one page of haystack results into hits, without touching the
    content tables (one query for category names)."""
    results = [r for r in results if r is not None]
    category_ids = {int(r.category) for r in results if getattr(r, "category", "")}
    names = {c.pk: c.name for c in Category.objects.filter(pk__in=category_ids)}
    return [
        SearchHit(
            type=r.type,
            id=int(r.pk),
            title=r.title,
            url=r.url,
            snippet=highlighted_snippet(r.text or "", query),
            language=r.language.replace("_", "-"),
            category=names.get(int(r.category), "") if r.category else "",
        )
        for r in results
    ]


def article_suggest(*, query: str, language: str, limit: int = 8) -> list[dict]:
    """Titles matching what has been typed so far, for search-as-you-type and
    ticket deflection: [{"title", "url", "type"}], at most `limit`."""
    terms = query_terms(query)
    if not terms:
        return []
    sqs = SearchQuerySet().models(*SEARCH_TYPES.values()).filter(language=index_language(language))
    for term in terms:
        sqs = sqs.filter(suggest=Raw(term))
    return [{"title": r.title, "url": r.url, "type": r.type} for r in sqs[:limit] if r]


def articles_related_to_text(*, text: str, language: str, limit: int = 3) -> list[Article]:
    """Published articles that share the most words with a text (a ticket's
    subject and body): any-word match, best first."""
    terms = list(dict.fromkeys(query_terms(text)))[:30]
    if not terms:
        return []
    clause = SQ(content=Raw(terms[0]))
    for term in terms[1:]:
        clause |= SQ(content=Raw(term))
    results = (
        SearchQuerySet()
        .models(Article)
        .filter(clause)
        .filter(language=index_language(language))[:limit]
    )
    ids = [int(r.pk) for r in results if r]
    found = Article.objects.published().in_bulk(ids)
    return [found[i] for i in ids if i in found]


# --- Analytics ---------------------------------------------------------------


class QueryGap(TypedDict):
    query: str
    language: str
    searches: int


class QueryStats(QueryGap):
    zero: int
    clicks: int


def search_top_queries(*, days: int = 30, limit: int = 50) -> list[QueryStats]:
    since = timezone.now() - datetime.timedelta(days=days)
    return list(
        SearchQueryLog.objects.filter(created_at__gte=since)
        .values("query", "language")
        .annotate(
            searches=Count("id"),
            zero=Count("id", filter=Q(result_count=0)),
            clicks=Count("id", filter=~Q(clicked_url="")),
        )
        .order_by("-searches", "query")[:limit]
    )


def search_content_gaps(*, days: int = 30, limit: int = 50) -> list[QueryGap]:
    """Queries that found nothing: the articles readers want and we lack."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(
        SearchQueryLog.objects.filter(created_at__gte=since, result_count=0)
        .values("query", "language")
        .annotate(searches=Count("id"))
        .order_by("-searches", "query")[:limit]
    )
