"""haystack's Whoosh backend with CJK-aware analysis.

Installed by settings when SEARCH_URL is whoosh://. Elasticsearch or Solr
bring their own analyzers (icu/cjk) and need nothing from here.
"""

import functools
import math
import os

import numpy as np
from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import STORED, TEXT
from whoosh.index import TOC
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Results, ResultsPage
from whoosh.spelling import ReaderCorrector
from whoosh.util.numeric import byte_to_length
from whoosh.writing import AsyncWriter

from .analysis import CJKAnalyzer, PrefixAnalyzer, SpellingAnalyzer, is_cjk, query_terms
from .codec import ArrayCodec

PREFIX_FIELD_TYPE = "prefix"
KEYWORD_FIELD_TYPE = "keyword"
# The words "did you mean" corrects towards, unstemmed (see spelling_for).
SPELLING_FIELD = "spelling"
# update() calls with at least this many documents are bulk loads
# (update_index, rebuild_index): one writer with a larger pool, no lookups of
# documents to replace while the index is empty, and tiered merging.
BULK_MIN = 100
BULK_LIMITMB = 256
BULK_LOCK_TIMEOUT = 60.0
MERGE_FACTOR = 8
# Posting blocks of 512 documents, not zlib-compressed: a common word is read
# whole by _ranked_terms, and decoding 128-document compressed blocks was a
# third of its time (and compressing them a part of every rebuild). Readers
# need nothing: each block records its own compression.
BULK_CODEC = ArrayCodec(blocklimit=512, compression=0)
# Small writes (the index tasks) keep whoosh's block size and compression.
CODEC = ArrayCodec()


# Keyword-filter combinations kept per index version (see _split_filters).
FILTER_CACHE_SIZE = 64

EMPTY = {"results": [], "hits": 0, "spelling_suggestion": None}


class CJKWhooshSearchBackend(WhooshSearchBackend):
    """Whoosh with CJK analysis, and a search path fit for every keystroke.

    haystack's own search() opens two index generations and a searcher per
    query, and narrows to the registered models with a separate unlimited
    search over every document. Plain searches (no sorting, facets,
    highlighting or geo) here reuse one searcher per backend (haystack keeps a
    backend per thread), reopened only when the index on disk has changed,
    and narrow inside the query itself, skipping the narrowing when it would
    keep every document anyway. more_like_this() likewise.
    """

    _searcher = None
    _searcher_stamp = None
    _filter_docs: dict = {}
    _lengths: dict = {}
    _added_since_clear: tuple | None = None
    keyword_fields: set = set()

    def setup(self):
        self._drop_searcher()
        super().setup()

    def _drop_searcher(self):
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self._searcher_stamp = None

    def _index_stamp(self) -> tuple:
        """What identifies the index version on disk. The generation alone is
        not enough: a rebuild deletes the directory and counts again from 0."""
        generation = self.index.latest_generation()
        if not self.use_file_storage:
            return (generation,)
        toc = os.path.join(self.path, TOC._filename(self.index.indexname, generation))
        try:
            stat = os.stat(toc)
        except OSError:
            return (generation,)
        return (generation, stat.st_ino, stat.st_mtime_ns)

    def searcher(self):
        """The current searcher, reopened only if the index has changed."""
        if not self.setup_complete:
            self.setup()
        stamp = self._index_stamp()
        if self._searcher is None or stamp != self._searcher_stamp:
            self._drop_searcher()
            self._searcher = self.index.searcher()
            self._searcher_stamp = stamp
            self._filter_docs = {}
            self._lengths = {}
        return self._searcher

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if sort_by or facets or date_facets or query_facets or highlight or kwargs:
            return super().search(
                query_string,
                sort_by=sort_by,
                start_offset=start_offset,
                end_offset=end_offset,
                fields=fields,
                highlight=highlight,
                facets=facets,
                date_facets=date_facets,
                query_facets=query_facets,
                narrow_queries=narrow_queries,
                spelling_query=spelling_query,
                within=within,
                dwithin=dwithin,
                distance_point=distance_point,
                models=models,
                limit_to_registered_models=limit_to_registered_models,
                result_class=result_class,
            )
        query_string = force_str(query_string)
        # As haystack: empty and one-character (stop-worded) queries find nothing.
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return dict(EMPTY)
        searcher = self.searcher()
        if not searcher.doc_count():
            return dict(EMPTY)
        parsed = self.parser.parse(query_string)
        if parsed is None:
            return dict(EMPTY)
        filters = [self.parser.parse(force_str(nq)) for nq in narrow_queries or ()]
        model_filter = self._model_filter(models)
        if model_filter is not None:
            filters.append(model_filter)
        content, allowed = self._split_filters(searcher, wq.And([parsed, *filters]))
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        limit = page_num * page_length
        lengths = functools.partial(self._field_lengths, searcher)
        results = _ranked_terms(searcher, content, allowed, limit, lengths)
        if results is None:
            docs = allowed.docs if allowed is not None else None
            results = searcher.search(content, limit=limit, filter=docs)
            results._total = self._count(searcher, content, docs)
        page = ResultsPage(results, page_num, page_length)
        if page.pagenum < page_num:  # whoosh returns the last page instead
            return dict(EMPTY)
        return self._process_results(
            page,
            query_string=query_string,
            spelling_query=spelling_query,
            result_class=result_class,
        )

    # Filters on keyword fields (language, type, category, model) match large
    # parts of the index. As query clauses, whoosh walks their posting lists
    # in step with the words' one document at a time; as document numbers,
    # read once per index version and combination, they cost a lookup per match.

    def _split_filters(self, searcher, q) -> tuple:
        """(the scored part of q, a _DocFilter of the documents its keyword
        filters allow, or None)."""
        scored: list[wq.Query] = []
        keyword: list[wq.Query] = []
        for part in _and_parts(q):
            (keyword if self._is_keyword(part) else scored).append(part)
        if not scored:
            return q, None
        content = scored[0] if len(scored) == 1 else wq.And(scored)
        if not keyword:
            return content, None
        key = tuple(sorted(repr(part) for part in keyword))
        allowed = self._filter_docs.get(key)
        if allowed is None:
            if len(self._filter_docs) >= FILTER_CACHE_SIZE:
                self._filter_docs.clear()
            ids = functools.reduce(
                functools.partial(np.intersect1d, assume_unique=True),
                (self._keyword_ids(searcher, part) for part in keyword),
            )
            allowed = self._filter_docs[key] = _DocFilter(ids, searcher.doc_count_all())
        return content, allowed

    def _is_keyword(self, q) -> bool:
        if isinstance(q, wq.Term):
            return q.fieldname in self.keyword_fields
        subqueries = q.subqueries if isinstance(q, wq.Or) else ()
        return bool(subqueries) and all(map(self._is_keyword, subqueries))

    def _keyword_ids(self, searcher, q) -> np.ndarray:
        if isinstance(q, wq.Term):
            return _term_arrays(searcher, q.fieldname, q.text)[0]
        parts = (self._keyword_ids(searcher, sub) for sub in q.subqueries)
        return functools.reduce(np.union1d, parts)

    def _field_lengths(self, searcher, fieldname: str) -> np.ndarray:
        """Every document's length in a field, read once per index version."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = _field_lengths(searcher, fieldname)
        return lengths

    def _count(self, searcher, content, allowed: set[int] | None) -> int:
        """Every match, not just the scored page: from posting lists for
        words and their AND/OR, else by running the query unscored."""
        docs = _query_docs(searcher, content)
        if docs is None:
            docs = searcher.docs_for_query(content)
            return sum(1 for d in docs if allowed is None or d in allowed)
        return len(docs if allowed is None else docs & allowed)

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """The document's key terms as a query, filtered inside the query.
        haystack's version runs the filters as separate unlimited searches and
        then drops results after picking the top ones."""
        searcher = self.searcher()
        docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
        if docnum is None:
            return dict(EMPTY)
        field = self.content_field_name
        terms = searcher.key_terms([docnum], field, numterms=10)
        if not terms:
            return dict(EMPTY)
        similar = wq.Or([wq.Term(field, text, boost=weight) for text, weight in terms])
        filters = []
        if additional_query_string and additional_query_string != "*":
            filters.append(self.parser.parse(force_str(additional_query_string)))
        model_filter = self._model_filter(models)
        if model_filter is not None:
            filters.append(model_filter)
        if filters:
            similar = wq.And([similar, *filters])
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        limit = page_num * page_length
        content, allowed = self._split_filters(searcher, similar)
        # Every document but this one, among those the filters allow.
        ids = allowed.ids if allowed is not None else np.arange(searcher.doc_count_all())
        others = _DocFilter(ids[ids != docnum], searcher.doc_count_all())
        lengths = functools.partial(self._field_lengths, searcher)
        results = _ranked_terms(searcher, content, others, limit, lengths)
        if results is None:
            results = searcher.search(similar, limit=limit, mask={docnum})
            # Related articles need no total: count what was scored rather
            # than walking every document that shares a word.
            results._total = results.scored_length()
        page = ResultsPage(results, page_num, page_length)
        if page.pagenum < page_num:
            return dict(EMPTY)
        return self._process_results(page, result_class=result_class)

    def _model_filter(self, models):
        """A query matching the wanted models' documents, or None when every
        document of the index qualifies: only the index tasks write, and only
        registered models, so narrowing to all of them keeps everything."""
        if not models:
            return None
        wanted = {get_model_ct(model) for model in models}
        if wanted >= set(self.build_models_list()):
            return None
        terms = [wq.Term(DJANGO_CT, ct) for ct in sorted(wanted)]
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    def build_schema(self, fields):
        """haystack's schema, with our analyzers and nothing stored or
        indexed that no query reads: no positions (CJK words are n-gram
        terms, see analysis), no sort columns, and django_id and unindexed
        fields stored only. Every unique term costs index time."""
        content_field_name, schema = super().build_schema(fields)
        self.keyword_fields = {DJANGO_CT}
        schema.remove(DJANGO_ID)
        schema.add(DJANGO_ID, STORED())
        for field in fields.values():
            name = field.index_fieldname
            if not field.indexed:
                replacement = STORED()
            elif field.field_type == PREFIX_FIELD_TYPE:
                replacement = TEXT(
                    analyzer=PrefixAnalyzer(),
                    stored=False,
                    phrase=False,
                    multitoken_query="and",
                )
            elif field.field_type == KEYWORD_FIELD_TYPE:
                self.keyword_fields.add(name)
                replacement = WHOOSH_ID(stored=True)
            elif not field.document and isinstance(schema[name], TEXT):
                # Shown with results (a title), never searched on its own:
                # the document text contains it.
                replacement = STORED()
            elif field.analyzer is None and isinstance(schema[name], TEXT):
                # A query's CJK run longer than the longest n-gram becomes the
                # AND of its n-grams.
                replacement = TEXT(
                    analyzer=CJKAnalyzer(),
                    stored=True,
                    phrase=False,
                    field_boost=field.boost,
                    multitoken_query="and",
                )
            else:
                continue
            schema.remove(name)
            schema.add(name, replacement)
        schema.add(SPELLING_FIELD, TEXT(analyzer=SpellingAnalyzer(), phrase=False))
        return content_field_name, schema

    def update(self, index, iterable, commit=True):
        """haystack's update() for a few documents (the index tasks); a bulk
        path for update_index's batches. Both replace documents by id."""
        if not self.setup_complete:
            self.setup()
        docs = [doc for doc in (self._prepare(index, obj) for obj in iterable) if doc]
        if not docs:
            return
        self.index = self.index.refresh()
        if len(docs) < BULK_MIN:
            writer = AsyncWriter(self.index, writerargs={"codec": CODEC})
            for doc in docs:
                writer.update_document(**doc)
            writer.commit()
            if writer.ident is not None:
                writer.join()
            return
        # Documents this backend added since it emptied the index, while no
        # other writer has committed since: those not among them are new,
        # and update_document's lookup of each id in every segment is skipped.
        since_clear = self._added_since_clear
        added = since_clear[1] if since_clear and since_clear[0] == self._index_stamp() else None
        writer = self.index.writer(
            limitmb=BULK_LIMITMB, timeout=BULK_LOCK_TIMEOUT, codec=BULK_CODEC
        )
        writer.per_document_reader = _CachedLengths.wrapping(writer.per_document_reader)
        try:
            for doc in docs:
                if added is not None and doc[ID] not in added:
                    writer.add_document(**doc)
                else:
                    writer.update_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_tiered)
        if added is not None:
            added.update(doc[ID] for doc in docs)
            self._added_since_clear = (self._index_stamp(), added)

    def clear(self, models=None, commit=True):
        super().clear(models=models, commit=commit)
        self._added_since_clear = (self._index_stamp(), set()) if models is None else None

    def _prepare(self, index, obj) -> dict | None:
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc = {key: self._from_python(value) for key, value in doc.items() if key != "boost"}
        doc[SPELLING_FIELD] = doc.get(self.content_field_name, "")
        return doc

    def spelling_for(self, query: str) -> str | None:
        """Whoosh's corrector, asked directly: haystack's own suggestion is
        skipped on zero hits. CJK terms are left as typed."""
        searcher = self.searcher()
        if not searcher.doc_count():
            return None
        words = query_terms(query)
        reader = searcher.reader()
        corrector = ReaderCorrector(reader, SPELLING_FIELD, self.schema[SPELLING_FIELD])
        corrected = []
        for word in words:
            if is_cjk(word) or len(word) < 3:
                corrected.append(word)
                continue
            suggestions = corrector.suggest(word, limit=1, maxdist=2)
            corrected.append(suggestions[0] if suggestions else word)
        if not words or corrected == words:
            return None
        return " ".join(corrected)


class _CachedLengths:
    """A segment's field lengths, for the writer's flush and merges, which
    ask once per posting (and, for a field without lengths, stat a file
    each time): each field's lengths are read once."""

    def __init__(self, reader) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    @classmethod
    def wrapping(cls, per_document_reader):
        return lambda: cls(per_document_reader())

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            reader = self._reader
            count = reader.doc_count_all()
            lengths = self._lengths[fieldname] = [
                reader.doc_field_length(d, fieldname, default) for d in range(count)
            ]
        return lengths[docnum] if docnum < len(lengths) else default

    def close(self) -> None:
        self._reader.close()


def _and_parts(q) -> list:
    """The clauses of q as one flat AND (haystack nests its filters)."""
    if not isinstance(q, wq.And):
        return [q]
    return [part for sub in q.subqueries for part in _and_parts(sub)]


def _tier(doc_count: int) -> int:
    return int(math.log(max(doc_count, 1), MERGE_FACTOR))


def merge_tiered(writer, segments) -> list:
    """A whoosh merge policy for bulk loads: the new segment absorbs the
    existing ones of its size tier (powers of MERGE_FACTOR documents) once
    there are MERGE_FACTOR of them, and so on up. Each document is rewritten
    about log(total / batch) times in all, and a 100k rebuild in batches of
    2,000 ends with under ten segments. whoosh's default policy leaves every
    batch of more than a few hundred documents as its own segment."""
    by_tier: dict[int, list] = {}
    for segment in segments:
        by_tier.setdefault(_tier(segment.doc_count_all()), []).append(segment)
    size = writer.doc_count()
    merging: list = []
    tier = _tier(size)
    while len(by_tier.get(tier, ())) + 1 >= MERGE_FACTOR:
        group = by_tier.pop(tier)
        merging.extend(group)
        size += sum(segment.doc_count_all() for segment in group)
        tier = _tier(size)
    for segment in merging:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merging]


class _DocFilter:
    """The documents keyword filters allow: sorted document numbers, as a set
    for whoosh's own search and as a mask for ranking, each made on first use."""

    def __init__(self, ids: np.ndarray, doc_count: int):
        self.ids = ids
        self._doc_count = doc_count

    @functools.cached_property
    def docs(self) -> set[int]:
        return set(self.ids.tolist())

    @functools.cached_property
    def mask(self) -> np.ndarray:
        mask = np.zeros(self._doc_count, dtype=bool)
        mask[self.ids] = True
        return mask


def _term_docs(searcher, fieldname: str, text) -> set[int]:
    return set(_term_arrays(searcher, fieldname, text)[0].tolist())


def _term_arrays(searcher, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings over the whole index, deleted documents left out:
    document numbers (ascending) and weights."""
    id_parts, weight_parts = [], []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        try:
            matcher = reader.postings(fieldname, text)
        except TermNotFound:
            continue
        leaf = getattr(matcher, "child", matcher)  # a FilterMatcher hides deletions
        ids, weights = _leaf_arrays(leaf)
        if leaf is not matcher:
            deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
            kept = ~np.isin(ids, deleted, assume_unique=True)
            ids, weights = ids[kept], weights[kept]
        id_parts.append(ids + offset if offset else ids)
        weight_parts.append(weights)
    if not id_parts:
        return np.empty(0, dtype=np.int64), np.empty(0)
    if len(id_parts) == 1:
        return id_parts[0], weight_parts[0]
    return np.concatenate(id_parts), np.concatenate(weight_parts)


def _leaf_arrays(matcher) -> tuple[np.ndarray, np.ndarray]:
    """A leaf matcher's document numbers and weights."""
    if not hasattr(matcher, "_read_data") or getattr(matcher, "_byteids", True):
        listed: list[tuple[int, float]] = []
        while matcher.is_active():
            listed.append((matcher.id(), matcher.weight()))
            matcher.next()
        return (
            np.array([docnum for docnum, _ in listed], dtype=np.int64),
            np.array([weight for _, weight in listed], dtype=np.float64),
        )
    # whoosh 2.7's on-disk postings, read a block at a time: document numbers
    # as deltas counted from 0 in each block, weights as a sequence or one
    # value for the block (None for 1.0). Three method calls per document
    # otherwise.
    deltas, weights, last_ids = [], [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        block_deltas, block_weights = matcher._data[0], matcher._data[1]
        deltas.append(block_deltas)
        last_ids.append(matcher._maxid)
        if block_weights is None or isinstance(block_weights, float):
            block_weights = np.full(len(block_deltas), block_weights or 1.0)
        weights.append(block_weights)
        matcher._next_block()
    if not deltas:
        return np.empty(0, dtype=np.int64), np.empty(0)
    ids = np.concatenate(deltas).astype(np.int64)
    # Count each block's first delta from the previous block's last document
    # instead of from 0, and one running sum decodes every block.
    starts = np.cumsum([len(block) for block in deltas[:-1]], dtype=np.int64)
    ids[starts] -= np.array(last_ids[:-1], dtype=np.int64)
    return np.cumsum(ids), np.concatenate(weights).astype(np.float64, copy=False)


# Ranking a word (or words, ANDed) that half the index contains: whoosh's
# collector scores every match, a few Python calls each, and BM25 is too flat
# for its block skipping to help. Here each word's postings are read whole
# into arrays, intersected through masks over the document numbers, and
# every match is scored at once with the same BM25F formula, in the same
# floating-point order, as whoosh: the same scores, so the same order.


def _field_lengths(searcher, fieldname: str) -> np.ndarray:
    """Every document's length in a field as whoosh scores with it (a zero
    length counts as 1)."""
    table = np.array([byte_to_length(b) or 1 for b in range(256)], dtype=np.float64)
    parts = []
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        perdoc = getattr(reader, "_perdoc", None)
        column = None
        if isinstance(perdoc, W3PerDocReader):
            column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None:
            parts.append(table[_byte_column(column, reader.doc_count_all())])
        else:
            count = reader.doc_count_all()
            lengths = [reader.doc_field_length(d, fieldname, 1) or 1 for d in range(count)]
            parts.append(np.array(lengths, dtype=np.float64))
    return np.concatenate(parts) if parts else np.empty(0)


def _byte_column(column, doc_count: int) -> np.ndarray:
    """A one-byte-per-document column's values: its bytes read at once
    (documents past its end have the default, 0), else one by one."""
    if isinstance(column, NumericColumn.Reader) and column._typecode == "B":
        values = np.zeros(doc_count, dtype=np.uint8)
        stored = column._dbfile.get(column._basepos, column._count)
        values[: column._count] = np.frombuffer(stored, dtype=np.uint8)
        return values
    return np.fromiter(column, dtype=np.uint8, count=doc_count)


def _plain_terms(q) -> list | None:
    if type(q) is wq.Term:
        return [q]
    subqueries = q.subqueries if type(q) is wq.And and q.boost == 1.0 else ()
    if subqueries and all(type(t) is wq.Term for t in subqueries):
        return list(subqueries)
    return None


def _clauses(q) -> list[list] | None:
    """q as an OR of ANDs of terms (one clause for a term or an AND), or None."""
    if isinstance(q, wq.Or) and q.subqueries and q.scale is None and not q.minmatch:
        if q.boost != 1.0:
            return None
        clauses = []
        for sub in q.subqueries:
            terms = _plain_terms(sub)
            if terms is None:
                return None
            clauses.append(terms)
        return clauses
    terms = _plain_terms(q)
    return None if terms is None else [terms]


def _ranked_terms(
    searcher, q, allowed: _DocFilter | None, limit: int, lengths=None
) -> Results | None:
    """The top `limit` of terms combined with AND, or ANDs of terms combined
    with OR (a ticket's words, an article's key terms), with the exact total;
    None for other queries (whoosh's collector runs them). As whoosh scores
    them: an AND sums its terms' scores, an OR the scores of the clauses a
    document matches."""
    clauses = _clauses(q)
    weighting = searcher.weighting
    if clauses is None or type(weighting) is not BM25F:
        return None
    lengths = lengths or (lambda field: _field_lengths(searcher, field))
    postings = {
        (t.fieldname, t.text): _term_arrays(searcher, t.fieldname, t.text)
        for clause in clauses
        for t in clause
    }
    scored = [_conjunction(searcher, clause, postings, allowed, lengths) for clause in clauses]
    if len(scored) == 1:
        matches, scores = scored[0]
    else:
        size = searcher.doc_count_all()
        totals, hit = np.zeros(size), np.zeros(size, dtype=bool)
        for clause_matches, clause_scores in scored:
            totals[clause_matches] += clause_scores
            hit[clause_matches] = True
        matches = np.flatnonzero(hit)
        scores = totals[matches]
    results = Results(searcher, q, _best(matches, scores, limit))
    results._total = len(matches)
    return results


def _conjunction(
    searcher, terms, postings, allowed: _DocFilter | None, lengths
) -> tuple[np.ndarray, np.ndarray]:
    """The documents with every term (and allowed), and their BM25F scores."""
    size = searcher.doc_count_all()
    arrays = [postings[(t.fieldname, t.text)] for t in terms]
    rarest = min(arrays, key=lambda p: len(p[0]))[0]
    matches = rarest if allowed is None else rarest[allowed.mask[rarest]]
    present = np.zeros(size, dtype=bool)
    for ids, _ in arrays:
        if ids is rarest or not len(matches):
            continue
        present[:] = False
        present[ids] = True
        matches = matches[present[matches]]
    scores = np.zeros(len(matches))
    if not len(matches):
        return matches, scores
    k1 = searcher.weighting.K1
    weights = np.empty(size)
    for term, (ids, term_weights) in zip(terms, arrays, strict=True):
        field = term.fieldname
        b = weighting_b(searcher.weighting, field)
        avgfl = searcher.avg_field_length(field) or 1
        idf = searcher.idf(field, term.text)
        weights[ids] = term_weights
        tf = weights[matches]
        fl = lengths(field)[matches]
        # whoosh.scoring.bm25, element-wise; a boosted term's score is
        # multiplied by its boost, as whoosh's wrapping matcher does.
        term_scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        scores += term_scores if term.boost == 1.0 else term_scores * term.boost
    return matches, scores


def _best(matches: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple]:
    """(score, document number) of the best `limit` matches, best first, ties
    broken by document number as whoosh's collector does."""
    if not len(matches):
        return []
    if len(matches) > limit:
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        best = np.flatnonzero(scores >= kth)
    else:
        best = np.arange(len(matches))
    order = best[np.lexsort((matches[best], -scores[best]))][:limit]
    return list(zip(scores[order].tolist(), matches[order].tolist(), strict=True))


def weighting_b(weighting: BM25F, fieldname: str) -> float:
    return weighting._field_B.get(fieldname, weighting.B)


def _query_docs(searcher, q) -> set[int] | None:
    """Documents matching words combined with AND/OR, or None for anything
    else (phrases, prefixes...)."""
    if isinstance(q, wq.Term):
        return _term_docs(searcher, q.fieldname, q.text)
    if isinstance(q, (wq.And, wq.Or)) and q.subqueries:
        found = [_query_docs(searcher, sub) for sub in q.subqueries]
        subsets = [sub for sub in found if sub is not None]
        if len(subsets) < len(found):
            return None
        if isinstance(q, wq.Or):
            return set().union(*subsets)
        subsets.sort(key=len)
        return subsets[0].intersection(*subsets[1:])
    return None


class CJKWhooshSearchQuery(WhooshSearchQuery):
    def run_mlt(self, **kwargs):
        """haystack's run_mlt with the slice passed on, as run() passes it:
        haystack's own asks the backend for every similar document (up to a
        million) to show three."""
        if self.end_offset is not None:
            kwargs.setdefault("start_offset", self.start_offset)
            kwargs.setdefault("end_offset", self.end_offset)
        super().run_mlt(**kwargs)


class CJKWhooshEngine(WhooshEngine):
    backend = CJKWhooshSearchBackend
    query = CJKWhooshSearchQuery
