"""Whoosh analyzers that understand Chinese, Japanese and Korean.

Whoosh's default tokenizer keeps a whole run of Han, Kana or Hangul as one
token, so 充币 inside a sentence is never found. Here each CJK run is indexed
as all its overlapping 2- and 3-character n-grams (a single character stays
a unigram). A CJK word of up to three characters in a query is then one
term, looked up directly; a longer one is the AND of its overlapping 3-grams,
which only the run itself (or, rarely, the same 3-grams scattered apart)
contains. No positions are needed, so the index stores none: phrase checks
over bigrams were the slowest queries. Other scripts are tokenised as words,
lower-cased, stop-worded and stemmed.

Each analyzer is a single generator: whoosh's chained filters cost a
generator step per token per filter, and indexing runs them millions of
times.
"""

import re
from collections.abc import Iterator

from whoosh.analysis import Analyzer, Token, Tokenizer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    HtmlFormatter,
    set_matched_filter,
    top_fragments,
)
from whoosh.lang.porter import stem

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
# The longest CJK n-gram indexed, for search and for suggestions.
NGRAM_MAX = 3
SUGGEST_MAX_WORD = 20


def is_cjk(text: str) -> bool:
    return bool(re.fullmatch(rf"[{CJK_CHARS}]+", text))


def query_terms(text: str) -> list[str]:
    """The searchable pieces of a user's query: words and CJK runs, nothing
    that the query parser could read as syntax."""
    return [m.group(0).lower() for m in TOKEN_RE.finditer(text)]


def cjk_index_grams(run: str) -> Iterator[tuple[str, int, int]]:
    """Every 2- to NGRAM_MAX-character n-gram of a CJK run, as (text, start,
    end) within the run; a one-character run is its own unigram."""
    size = len(run)
    if size == 1:
        yield run, 0, 1
        return
    for i in range(size - 1):
        for j in range(i + 2, min(size, i + NGRAM_MAX) + 1):
            yield run[i:j], i, j


def cjk_query_grams(run: str) -> Iterator[tuple[str, int, int]]:
    """A query's CJK run as indexed terms to AND: the run itself when it has
    at most NGRAM_MAX characters, else its overlapping NGRAM_MAX-grams."""
    size = len(run)
    if size <= NGRAM_MAX:
        yield run, 0, size
        return
    for i in range(size - NGRAM_MAX + 1):
        yield run[i : i + NGRAM_MAX], i, i + NGRAM_MAX


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
        for text, start, end, stopped in self.pieces(value, mode):
            if stopped and removestops:
                continue
            token.text = text
            token.boost = 1.0
            token.stopped = stopped
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def pieces(self, value: str, mode: str) -> Iterator[tuple[str, int, int, bool]]:
        """(text, start, end, is a stop word) for each token of value."""
        raise NotImplementedError


class CJKTokenizer(_Base):
    """Stemmed words for alphabetic scripts, n-grams for CJK runs (see the
    module docstring). mode="query" gives a query's terms; any other mode
    (indexing, highlighting) every n-gram."""

    is_morph = True

    def __init__(self, stoplist=STOP_WORDS, cachesize: int = 50_000):
        self.stoplist = frozenset(stoplist)
        self.cachesize = cachesize
        self._stems: dict[str, str] = {}

    def __eq__(self, other):
        return type(other) is type(self) and other.stoplist == self.stoplist

    def __getstate__(self):
        # Pickled with the schema: the stem cache stays in memory.
        return {"stoplist": self.stoplist, "cachesize": self.cachesize}

    def __setstate__(self, state):
        self.__init__(**state)

    def stem(self, word: str) -> str:
        stems = self._stems
        found = stems.get(word)
        if found is None:
            if len(stems) >= self.cachesize:
                stems.clear()
            found = stems[word] = stem(word)
        return found

    def pieces(self, value, mode):
        grams = cjk_query_grams if mode == "query" else cjk_index_grams
        stoplist, stem_word = self.stoplist, self.stem
        for match in TOKEN_RE.finditer(value):
            start = match.start()
            text = match.group(0)
            if match.lastgroup == "word":
                text = text.lower()
                if text in stoplist:
                    yield text, start, match.end(), True
                else:
                    yield stem_word(text), start, match.end(), False
                continue
            for gram, i, j in grams(text):
                yield gram, start + i, start + j, False


class PrefixTokenizer(_Base):
    """For suggestions as you type. Indexing emits every prefix of a word
    and every substring of up to NGRAM_MAX characters of a CJK run (CJK
    titles have no spaces, so a suggestion must match from the middle); a
    query word is taken as typed, a query CJK run as its NGRAM_MAX-grams."""

    def pieces(self, value, mode):
        for match in TOKEN_RE.finditer(value):
            text, start = match.group(0).lower(), match.start()
            if match.lastgroup == "cjk":
                if mode == "query":
                    grams = cjk_query_grams(text)
                else:
                    size = len(text)
                    grams = (
                        (text[i:j], i, j)
                        for i in range(size)
                        for j in range(i + 1, min(size, i + NGRAM_MAX) + 1)
                    )
                for gram, i, j in grams:
                    yield gram, start + i, start + j, False
                continue
            if mode == "query":
                end = min(len(text), SUGGEST_MAX_WORD)
                yield text[:end], start, start + end, False
                continue
            for j in range(1, min(len(text), SUGGEST_MAX_WORD) + 1):
                yield text[:j], start, start + j, False


class SpellingTokenizer(_Base):
    """Distinct lower-cased words of three letters or more, unstemmed: the
    vocabulary that "did you mean" corrects towards. CJK is left out."""

    def pieces(self, value, mode):
        seen = set()
        for match in TOKEN_RE.finditer(value):
            if match.lastgroup != "word" or len(match.group(0)) < 3:
                continue
            text = match.group(0).lower()
            if text not in seen:
                seen.add(text)
                yield text, match.start(), match.end(), False


def CJKAnalyzer() -> Analyzer:
    return CJKTokenizer()


def PrefixAnalyzer() -> Analyzer:
    return PrefixTokenizer()


def SpellingAnalyzer() -> Analyzer:
    return SpellingTokenizer()


_snippet_analyzer = CJKAnalyzer()


def highlighted_snippet(text: str, query: str, *, length: int = 200) -> str:
    """An HTML-escaped excerpt of text with the query's terms in <mark>.
    whoosh's highlight(), with the text's n-grams (not a query's) and
    overlapping matches joined: a query's 4-character word is two trigrams
    that overlap in the text."""
    terms = frozenset(t.text for t in _snippet_analyzer(" ".join(query_terms(query)), mode="query"))
    tokens = _snippet_analyzer(text, chars=True, mode="index", removestops=False)
    tokens = _join_overlapping(set_matched_filter(tokens, terms))
    fragmenter = ContextFragmenter(maxchars=length, surround=60)
    fragments = top_fragments(
        fragmenter.fragment_tokens(text, tokens), 2, BasicFragmentScorer(), FIRST
    )
    fragments = HtmlFormatter(tagname="mark", between=" … ")(text, fragments)
    if fragments:
        return fragments
    from django.utils.html import escape

    return escape(text[:length])


def _join_overlapping(tokens):
    """Matched tokens with overlapping characters become one; tokens inside
    a match are dropped. The analyzer reuses one Token, so matches are copied."""
    pending = None
    for token in tokens:
        if pending is not None and token.startchar < pending.endchar:
            if token.matched:
                pending.endchar = max(pending.endchar, token.endchar)
            continue
        if pending is not None and token.matched and token.startchar == pending.endchar:
            pending.endchar = token.endchar
            continue
        if pending is not None:
            yield pending
            pending = None
        if token.matched:
            pending = token.copy()
        else:
            yield token
    if pending is not None:
        yield pending
