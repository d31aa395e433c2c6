import django_filters

from ..models import Article, Category, FaqEntry, GlossaryTerm


class ArticleFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(method="filter_category")
    language = django_filters.CharFilter()
    kind = django_filters.ChoiceFilter(choices=Article.Kind.choices)

    class Meta:
        model = Article
        fields = ["category", "language", "kind"]

    def filter_category(self, queryset, name, value):
        # A top category includes its subcategories.
        return queryset.filter(category__slug=value) | queryset.filter(category__parent__slug=value)


class FaqEntryFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__slug")
    language = django_filters.CharFilter()

    class Meta:
        model = FaqEntry
        fields = ["category", "language"]


class GlossaryTermFilter(django_filters.FilterSet):
    language = django_filters.CharFilter()

    class Meta:
        model = GlossaryTerm
        fields = ["language"]


class CategoryFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__slug")

    class Meta:
        model = Category
        fields = ["parent"]
