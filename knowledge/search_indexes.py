"""One index per content type. index_queryset() is what readers may see;
knowledge.tasks removes everything else from the index.

The document text is prepared in Python rather than from a template: a
template render per document was a large share of a rebuild."""

from haystack import indexes

from .models import Article, FaqEntry, GlossaryTerm
from .rendering import markdown_to_text
from .search.fields import KeywordField, PrefixField


def index_language(code: str) -> str:
    # Hyphens are query syntax to haystack's Whoosh query builder.
    return code.replace("-", "_")


class ContentIndex(indexes.SearchIndex):
    text = indexes.CharField(document=True)
    title = indexes.CharField()
    suggest = PrefixField()
    language = KeywordField()
    type = KeywordField()
    category = KeywordField()
    url = KeywordField(indexed=False)

    content_type = ""

    def prepare_language(self, obj) -> str:
        return index_language(obj.language)

    def prepare_type(self, obj) -> str:
        return self.content_type

    def prepare_category(self, obj) -> str:
        return str(obj.category_id or "")

    def prepare_url(self, obj) -> str:
        return obj.get_absolute_url()

    def prepare_suggest(self, obj) -> str:
        return self.prepare_title(obj)

    def get_updated_field(self):
        return "updated_at"


class ArticleIndex(ContentIndex, indexes.Indexable):
    content_type = "article"

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.published().select_related("category")

    def prepare_title(self, obj) -> str:
        return obj.title

    def prepare_text(self, obj) -> str:
        return "\n".join([obj.title, obj.summary, markdown_to_text(obj.body)])


class FaqEntryIndex(ContentIndex, indexes.Indexable):
    content_type = "faq"

    def get_model(self):
        return FaqEntry

    def index_queryset(self, using=None):
        return FaqEntry.objects.published().select_related("category")

    def prepare_title(self, obj) -> str:
        return obj.question

    def prepare_text(self, obj) -> str:
        return "\n".join([obj.question, markdown_to_text(obj.answer)])


class GlossaryTermIndex(ContentIndex, indexes.Indexable):
    content_type = "glossary"

    def get_model(self):
        return GlossaryTerm

    def index_queryset(self, using=None):
        return GlossaryTerm.objects.published()

    def prepare_title(self, obj) -> str:
        return obj.term

    def prepare_text(self, obj) -> str:
        return "\n".join([obj.term, " ".join(obj.aliases or ()), obj.definition])

    def prepare_category(self, obj) -> str:
        return ""

    def prepare_suggest(self, obj) -> str:
        return " ".join([obj.term, *obj.aliases])
