"""Whoosh analyzers that understand Chinese, Japanese and Korean.

Whoosh's default tokenizer keeps a whole run of Han, Kana or Hangul as one
token, so 充币 inside a sentence is never found. Here each CJK run becomes
overlapping character bigrams (a single character stays a unigram); queries
turn into phrase queries over the same bigrams, so word order still counts.
Other scripts are tokenised as words, lower-cased and stemmed.
"""

import re
from collections.abc import Iterator

from whoosh.analysis import (
    Analyzer,
    LowercaseFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight

CJK_CHARS = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana extensions
    "\u3400-\u4dbf"  # Han extension A
    "\u4e00-\u9fff"  # Han
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # Han compatibility
    "\uff66-\uff9f"  # half-width Katakana
    "\U00020000-\U0002fa1f"  # Han extensions B-F
)
TOKEN_RE = re.compile(
    rf"(?P<cjk>[{CJK_CHARS}]+)|(?P<word>[^\W{CJK_CHARS}]+(?:\.[^\W{CJK_CHARS}]+)*)"
)
SUGGEST_MAX_CJK = 12
SUGGEST_MAX_WORD = 20


def is_cjk(text: str) -> bool:
    return bool(re.fullmatch(rf"[{CJK_CHARS}]+", text))


def query_terms(text: str) -> list[str]:
    """The searchable pieces of a user's query: words and CJK runs, nothing
    that the query parser could read as syntax."""
    return [m.group(0).lower() for m in TOKEN_RE.finditer(text)]


class _Base(Tokenizer):
    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for text, start, end in self.pieces(value, mode):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def pieces(self, value: str, mode: str) -> Iterator[tuple[str, int, int]]:
        raise NotImplementedError


class CJKTokenizer(_Base):
    """Words for alphabetic scripts, bigrams (or a lone unigram) for CJK runs."""

    def pieces(self, value, mode):
        for match in TOKEN_RE.finditer(value):
            start = match.start()
            if match.lastgroup == "word":
                yield match.group(0), start, match.end()
                continue
            run = match.group(0)
            if len(run) == 1:
                yield run, start, start + 1
                continue
            for i in range(len(run) - 1):
                yield run[i : i + 2], start + i, start + i + 2


class PrefixTokenizer(_Base):
    """For suggestions as you type. Indexing emits every prefix of a word
    and every substring of a CJK run (CJK titles have no spaces, so a
    suggestion must match from the middle); a query is taken as typed."""

    def pieces(self, value, mode):
        for match in TOKEN_RE.finditer(value):
            text, start = match.group(0), match.start()
            cjk = match.lastgroup == "cjk"
            limit = SUGGEST_MAX_CJK if cjk else SUGGEST_MAX_WORD
            if mode == "query":
                yield text[:limit], start, start + min(len(text), limit)
                continue
            starts = range(len(text)) if cjk else range(1)
            for i in starts:
                for j in range(i + 1, min(len(text), i + limit) + 1):
                    yield text[i:j], start + i, start + j


def CJKAnalyzer() -> Analyzer:
    # minsize=1 keeps single-character CJK unigrams that StopFilter would drop.
    return CJKTokenizer() | LowercaseFilter() | StopFilter(minsize=1) | StemFilter()


def PrefixAnalyzer() -> Analyzer:
    return PrefixTokenizer() | LowercaseFilter()


_snippet_analyzer = CJKAnalyzer()


def highlighted_snippet(text: str, query: str, *, length: int = 200) -> str:
    """An HTML-escaped excerpt of text with the query's terms in <mark>."""
    terms = {t.text for t in _snippet_analyzer(" ".join(query_terms(query)), mode="query")}
    fragments = highlight(
        text,
        frozenset(terms),
        _snippet_analyzer,
        ContextFragmenter(maxchars=length, surround=60),
        HtmlFormatter(tagname="mark", between=" … "),
        top=2,
    )
    if fragments:
        return fragments
    from django.utils.html import escape

    return escape(text[:length])
