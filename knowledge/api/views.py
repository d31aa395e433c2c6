"""Read-only help-centre API, open to anonymous readers; feedback is the
only write and is throttled per user or IP."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from .. import selectors
from ..models import Article, Category, FaqEntry, GlossaryTerm
from ..services import article_feedback_add, search_log_record
from . import filters, serializers

SEARCH_PAGE_SIZE = 10


def _language(data: dict) -> str:
    return data.get("lang") or get_language() or "en"


class FeedbackThrottle(UserRateThrottle):
    """Per user when signed in, per IP otherwise."""

    scope = "kb_feedback"


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            serializers.SearchInputSerializer,
            OpenApiParameter("page", OpenApiTypes.INT, required=False),
        ],
        responses=serializers.SearchOutputSerializer,
    )
    def get(self, request):
        params = serializers.SearchInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        language = _language(data)
        category = None
        if data.get("category"):
            category = Category.objects.filter(slug=data["category"]).first()
            if category is None:
                return Response(
                    {"category": [_("Unknown category.")]}, status=status.HTTP_400_BAD_REQUEST
                )
        try:
            number = int(request.query_params.get("page", 1))
        except ValueError:
            number = 0
        found = selectors.search_page_for_reader(
            query=data["q"],
            language=language,
            type=data.get("type"),
            category=category,
            page=max(number, 1),
            per_page=SEARCH_PAGE_SIZE,
        )
        if found.number != number:  # not a number, or past the last page
            raise NotFound(_("Invalid page."))
        page = found.page()
        # An English fallback still logs zero: the gap is in the reader's language.
        count = 0 if found.fallback_language else found.count
        search_log_record(query=data["q"], language=language, result_count=count)
        url = request.build_absolute_uri
        body = {
            "count": found.count,
            "next": url(f"?{_page_query(request, page.next_page_number())}")
            if page.has_next()
            else None,
            "previous": url(f"?{_page_query(request, page.previous_page_number())}")
            if page.has_previous()
            else None,
            "results": [hit.__dict__ for hit in found.hits],
            "suggestion": found.suggestion,
            "fallback_language": found.fallback_language,
        }
        return Response(serializers.SearchOutputSerializer(body).data)


def _page_query(request, number: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(number)
    return query.urlencode()


class SuggestView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[serializers.SuggestInputSerializer],
        responses=serializers.SuggestOutputSerializer,
    )
    def get(self, request):
        params = serializers.SuggestInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        results = selectors.article_suggest(query=data["q"], language=_language(data))
        return Response({"results": results})


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    filterset_class = filters.ArticleFilter

    def get_queryset(self):
        return Article.objects.published().select_related("category").order_by("title")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleListSerializer

    @extend_schema(
        request=serializers.FeedbackInputSerializer,
        responses={201: serializers.FeedbackOutputSerializer},
    )
    @action(detail=True, methods=["post"], throttle_classes=[FeedbackThrottle])
    def feedback(self, request, pk=None):
        article = self.get_object()
        params = serializers.FeedbackInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        feedback = article_feedback_add(article=article, **params.validated_data)
        return Response(
            serializers.FeedbackOutputSerializer(feedback).data, status=status.HTTP_201_CREATED
        )


class FaqEntryViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = serializers.FaqEntrySerializer
    filterset_class = filters.FaqEntryFilter

    def get_queryset(self):
        return FaqEntry.objects.published().select_related("category").order_by("order", "pk")


class GlossaryTermViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = serializers.GlossaryTermSerializer
    filterset_class = filters.GlossaryTermFilter

    def get_queryset(self):
        return GlossaryTerm.objects.published().order_by("term")


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = serializers.CategorySerializer
    filterset_class = filters.CategoryFilter

    def get_queryset(self):
        return Category.objects.select_related("parent").order_by("order", "slug")
