"""Markdown to safe HTML for articles, FAQ answers and announcements.

markdown-it-py renders with raw HTML switched off, and nh3 sanitises the
result against an allow-list anyway: a body is never trusted, whoever wrote it.
"""

import html
import re
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .search.analysis import CJK_CHARS

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "aria-describedby"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "span": {"class", "role", "id"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Only our own uploads or https images; never data: or relative junk.
        if value.startswith(settings.MEDIA_URL) or value.startswith("https://"):
            return value
        return None
    return value


def sanitize(raw_html: str) -> str:
    """The allow-list: no script/iframe/style, no on* attributes, and only
    http(s)/mailto/relative links (nh3 decodes entities before checking)."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@dataclass(frozen=True)
class GlossaryLink:
    pk: int
    term: str
    aliases: tuple[str, ...]
    definition: str
    url: str


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)


def _markdown() -> MarkdownIt:
    # "html": False escapes any raw HTML an author types.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


_md = _markdown()


def _glossary_pattern(links: list[GlossaryLink]) -> tuple[re.Pattern | None, dict]:
    lookup: dict[str, GlossaryLink] = {}
    for link in links:
        for name in (link.term, *link.aliases):
            if name.strip():
                lookup.setdefault(name.strip().casefold(), link)
    if not lookup:
        return None, lookup
    parts = []
    for name in sorted(lookup, key=len, reverse=True):
        escaped = re.escape(name)
        # Alphabetic terms match whole words only; CJK has no word boundaries.
        if re.search(rf"[{CJK_CHARS}]", name):
            parts.append(escaped)
        else:
            parts.append(rf"(?<!\w){escaped}(?!\w)")
    return re.compile("|".join(parts), re.IGNORECASE), lookup


def _link_glossary(tokens: list[Token], links: list[GlossaryLink]) -> None:
    pattern, lookup = _glossary_pattern(links)
    if pattern is None:
        return
    linked: set[int] = set()
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        if token.type != "inline" or in_heading or not token.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for child in token.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type != "text" or link_depth:
                children.append(child)
                continue
            children.extend(_split_text(child, pattern, lookup, linked))
        token.children = children


def _split_text(child: Token, pattern, lookup, linked: set[int]) -> list[Token]:
    out: list[Token] = []
    text, last = child.content, 0
    for match in pattern.finditer(text):
        link = lookup[match.group(0).casefold()]
        if link.pk in linked:
            continue  # link a term once per article; the rest would be noise
        linked.add(link.pk)
        if match.start() > last:
            out.append(_text_token(text[last : match.start()]))
        tip = f"glossary-tip-{link.pk}"
        markup = (
            f'<span class="glossary"><a class="glossary-term" href="{html.escape(link.url)}" '
            f'aria-describedby="{tip}">{html.escape(match.group(0))}</a>'
            f'<span class="glossary-tip" role="tooltip" id="{tip}">'
            f"{html.escape(link.definition)}</span></span>"
        )
        raw = Token("html_inline", "", 0)
        raw.content = markup
        out.append(raw)
        last = match.end()
    if last == 0:
        return [child]
    if last < len(text):
        out.append(_text_token(text[last:]))
    return out


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _add_heading_ids(tokens: list[Token]) -> list[dict]:
    toc: list[dict] = []
    seen: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        title = tokens[i + 1].content if i + 1 < len(tokens) else ""
        base = "h-" + (slugify(title, allow_unicode=True) or str(len(seen) + 1))
        anchor, n = base, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        token.attrSet("id", anchor)
        if token.tag in ("h2", "h3"):
            toc.append({"id": anchor, "title": title, "level": int(token.tag[1])})
    return toc


def render_markdown(text: str, *, glossary: list[GlossaryLink] | None = None) -> Rendered:
    """Sanitised HTML, with heading ids for the table of contents and the
    first mention of each glossary term linked to an accessible tooltip."""
    tokens = _md.parse(text or "")
    toc = _add_heading_ids(tokens)
    if glossary:
        _link_glossary(tokens, glossary)
    raw = _md.renderer.render(tokens, _md.options, {})
    return Rendered(html=sanitize(raw), toc=toc)


def markdown_to_text(text: str) -> str:
    """Plain text for the search index and snippets."""
    return html.unescape(strip_tags(_md.render(text or ""))).strip()
