from django import template
from django.utils.safestring import mark_safe

from support_portal.pagecache import page_generation

from ..rendering import markdown_to_text, render_markdown

register = template.Library()


@register.filter
def markdown_text(value: str) -> str:
    return markdown_to_text(value)


@register.filter
def markdown(value: str) -> str:
    """Sanitised HTML: safe to mark safe because nh3 has cleaned it."""
    return mark_safe(render_markdown(value).html)  # noqa: S308


@register.simple_tag
def knowledge_generation() -> int:
    """The help centre's content generation, bumped on every change: a
    fragment cache key that content changes invalidate."""
    from ..selectors import PAGE_CACHE

    return page_generation(PAGE_CACHE)


@register.simple_tag
def knowledge_home(language: str) -> dict:
    """What the home page shows: top categories, popular articles and the
    announcements running now. The home view belongs to the portal, so the
    template asks for these itself."""
    from ..selectors import announcements_active, articles_popular, categories_top

    return {
        "categories": categories_top(),
        "popular": articles_popular(language=language),
        "announcements": announcements_active(language=language),
    }
