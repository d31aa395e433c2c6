from haystack import indexes

from .models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title")
    language = indexes.CharField(model_attr="language", faceted=True)
    published_at = indexes.DateTimeField(model_attr="published_at", null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.published()

    def get_updated_field(self):
        return "updated_at"
