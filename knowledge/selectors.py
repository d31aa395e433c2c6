from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from haystack.query import SearchQuerySet

from .models import Article


def article_search(*, query: str, language: str) -> SearchQuerySet:
    """Published articles matching the query in one language.

    The only place that touches haystack, so the backend is a settings change.
    """
    return SearchQuerySet().models(Article).filter(content=query, language=language)


def article_published(*, language: str, slug: str) -> Article:
    return get_object_or_404(Article.objects.published(), language=language, slug=slug)


def articles_published(*, language: str) -> QuerySet[Article]:
    return Article.objects.published().filter(language=language).order_by("-published_at")
