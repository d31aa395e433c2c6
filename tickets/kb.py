"""Adapter to the knowledge app's selectors.

The knowledge app is built in parallel and its search may be down (index being
rebuilt); tickets must still open. Every call degrades to an empty list.
"""

import logging

logger = logging.getLogger(__name__)


def articles_for_text(*, text: str, language: str, limit: int = 3) -> list[dict]:
    """Up to `limit` articles related to the text, as {"title", "url"} dicts."""
    try:
        from knowledge.selectors import articles_related_to_text
    except ImportError:
        return []
    try:
        articles = articles_related_to_text(text=text, language=language, limit=limit)
        return [{"title": str(a.title), "url": a.get_absolute_url()} for a in articles][:limit]
    except Exception:  # search backends fail in many ways; a ticket must still open
        logger.warning("Knowledge-base suggestions failed", exc_info=True)
        return []


def article_suggestions(*, query: str, language: str, limit: int = 8) -> list[dict]:
    """Title, URL and type of articles matching what the user is typing."""
    try:
        from knowledge.selectors import article_suggest
    except ImportError:
        return []
    try:
        return list(article_suggest(query=query, language=language, limit=limit))[:limit]
    except Exception:
        logger.warning("Knowledge-base suggest failed", exc_info=True)
        return []


def article_context(*, article_id: str) -> dict | None:
    """Title and URL of the article a customer came from, or None."""
    try:
        from knowledge.models import Article

        article = Article.objects.published().get(pk=int(article_id))
        return {"id": article.pk, "title": str(article.title), "url": article.get_absolute_url()}
    except Exception:
        return None
