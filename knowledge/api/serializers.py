from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Article, Category, FaqEntry, GlossaryTerm
from ..selectors import SEARCH_TYPES

LANGUAGE_CHOICES = [code for code, _name in settings.LANGUAGES]
QUERY_ERRORS = {"blank": _("Enter a search query."), "required": _("Enter a search query.")}


class SearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        trim_whitespace=True,
        error_messages={
            "blank": _("Enter a search query."),
            "required": _("Enter a search query."),
        },
    )
    lang = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    type = serializers.ChoiceField(choices=list(SEARCH_TYPES), required=False)
    category = serializers.SlugField(required=False)


class SuggestInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        trim_whitespace=True,
        error_messages={
            "blank": _("Enter a search query."),
            "required": _("Enter a search query."),
        },
    )
    lang = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField(help_text=_("HTML-escaped text with <mark> around matches."))
    language = serializers.CharField()
    category = serializers.CharField()


class SearchOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SearchHitSerializer(many=True)
    suggestion = serializers.CharField(allow_null=True)
    fallback_language = serializers.CharField(
        allow_null=True,
        help_text=_(
            "“en” when nothing matched in the requested language and the results "
            "are English content instead; otherwise null."
        ),
    )


class SuggestionSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    type = serializers.CharField()


class SuggestOutputSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    # The serializer metaclass moves declared fields off the class, so this
    # does not shadow the Field.parent attribute at runtime; the stubs cannot know that.
    parent: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Category
        fields = ["id", "slug", "parent", "icon", "order", "name", "description", "names"]


class ArticleListSerializer(serializers.ModelSerializer):
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "kind",
            "language",
            "translation_group",
            "category",
            "title",
            "slug",
            "summary",
            "url",
            "published_at",
            "updated_at",
        ]


class ArticleDetailSerializer(ArticleListSerializer):
    body_html = serializers.SerializerMethodField()

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "body", "body_html"]

    def get_body_html(self, obj) -> str:
        from ..selectors import article_rendered

        return article_rendered(article=obj).html


class FaqEntrySerializer(serializers.ModelSerializer):
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = FaqEntry
        fields = ["id", "language", "translation_group", "category", "question", "answer"]


class GlossaryTermSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = GlossaryTerm
        fields = ["id", "language", "term", "slug", "aliases", "definition", "article", "url"]


class FeedbackInputSerializer(serializers.Serializer):
    helpful = serializers.BooleanField()
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class FeedbackOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    helpful = serializers.BooleanField()
