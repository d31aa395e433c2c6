"""haystack's Whoosh backend with CJK-aware analysis.

Installed by settings when SEARCH_URL is whoosh://. Elasticsearch or Solr
bring their own analyzers (icu/cjk) and need nothing from here.
"""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh.fields import ID, TEXT

from .analysis import CJKAnalyzer, PrefixAnalyzer, is_cjk, query_terms

PREFIX_FIELD_TYPE = "prefix"
KEYWORD_FIELD_TYPE = "keyword"


class CJKWhooshSearchBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if field.field_type == PREFIX_FIELD_TYPE:
                replacement = TEXT(analyzer=PrefixAnalyzer(), stored=False, phrase=False)
            elif field.field_type == KEYWORD_FIELD_TYPE:
                replacement = ID(stored=True)
            elif isinstance(schema[name], TEXT) and field.analyzer is None:
                # A multi-token query term (a CJK run) becomes a phrase of its
                # bigrams, so 充币 matches 充币 and not 充…币.
                replacement = TEXT(
                    analyzer=CJKAnalyzer(),
                    stored=True,
                    sortable=True,
                    field_boost=field.boost,
                    multitoken_query="phrase",
                    spelling=field.document,
                )
            else:
                continue
            schema.remove(name)
            schema.add(name, replacement)
        return content_field_name, schema

    def spelling_for(self, query: str) -> str | None:
        """Whoosh's corrector, asked directly: haystack's own suggestion is
        skipped on zero hits. CJK terms are left as typed."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        if not self.index.doc_count():
            return None
        words = query_terms(query)
        with self.index.reader() as reader:
            corrector = reader.corrector(self.content_field_name)
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


class CJKWhooshEngine(WhooshEngine):
    backend = CJKWhooshSearchBackend
