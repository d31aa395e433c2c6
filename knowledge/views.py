from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from support_portal.csrf import csrf_protect_signed_in
from support_portal.pagecache import cache_page_for_anonymous

from . import selectors
from .forms import FeedbackForm, SearchForm
from .models import Article
from .services import (
    article_feedback_add,
    article_record_view,
    search_click_token,
    search_log_click,
    search_log_record,
)

PER_PAGE = 10
# Attributes the cached page views leave on their response for the wrapper
# views; they travel with the cached copy.
SEARCH_LOGGED_ATTR = "knowledge_search"
ARTICLE_ID_ATTR = "knowledge_article_id"


def _language() -> str:
    return get_language() or "en"


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    response = _search_page(request)
    # Outside the cached part, so a page served from the cache is still logged.
    logged = getattr(response, SEARCH_LOGGED_ATTR, None)
    if logged is not None:
        search_log_record(**logged)
    return response


@cache_page_for_anonymous(namespace=selectors.PAGE_CACHE)
def _search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context = {"form": form, "query": "", "categories": selectors.categories_for_filter()}
    logged = None
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        query, language = data["q"], data["lang"] or _language()
        category = selectors.category_by_slug_or_none(slug=data["category"])
        found = selectors.search_page_for_reader(
            query=query,
            language=language,
            type=data["type"] or None,
            category=category,
            page=_page_number(request.GET.get("page")),
            per_page=PER_PAGE,
        )
        # An English fallback still logs zero: the gap is in the reader's language.
        count = 0 if found.fallback_language else found.count
        logged = {"query": query, "language": language, "result_count": count}
        context.update(query=query, page=found.page(), hits=found.hits)
        context.update(click_token=search_click_token(**logged))
        context.update(suggestion=found.suggestion, searched_language=language)
        context.update(fallback_language=found.fallback_language)
    response = render(request, "knowledge/search.html", context)
    setattr(response, SEARCH_LOGGED_ATTR, logged)  # kept in the cached copy
    return response


@csrf_protect_signed_in
@require_POST
def search_click(request: HttpRequest) -> HttpResponse:
    """Records which result of a search was opened, then follows it."""
    url = request.POST.get("to", "")
    search_log_click(token=request.POST.get("search", ""), url=url)
    return redirect(url if url.startswith("/") and not url.startswith("//") else "/")


@cache_page_for_anonymous(namespace=selectors.PAGE_CACHE)
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_by_slug(slug=slug)
    articles = selectors.articles_in_category(category=category, language=_language())
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "knowledge/category_detail.html", {"category": category, "page": page})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    response = _article_page(request, slug)
    # Outside the cached part, so a page served from the cache still counts.
    article_id = getattr(response, ARTICLE_ID_ATTR, None)
    if article_id is not None:
        article_record_view(article_id=article_id)
    return response


@cache_page_for_anonymous(namespace=selectors.PAGE_CACHE)
def _article_page(request: HttpRequest, slug: str) -> HttpResponse:
    view = selectors.article_for_reader(slug=slug, language=_language())
    if view.redirect_to:
        return redirect(view.redirect_to)
    context = {
        "view": view,
        "article": view.article,
        "rendered": selectors.article_rendered(article=view.article),
        "breadcrumbs": selectors.article_breadcrumbs(article=view.article),
        "related": selectors.articles_related(article=view.article),
        "feedback_form": FeedbackForm(),
    }
    response = render(request, "knowledge/article_detail.html", context)
    setattr(response, ARTICLE_ID_ATTR, view.article.pk)  # kept in the cached copy
    return response


@csrf_protect_signed_in
@require_POST
def article_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), pk=pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose Yes or No."))
        return redirect(article)
    try:
        article_feedback_add(article=article, **form.cleaned_data)
    except ValidationError as exc:
        raise Http404 from exc
    messages.success(request, _("Thank you for your feedback."))
    return redirect(article)


@cache_page_for_anonymous(namespace=selectors.PAGE_CACHE)
def faq(request: HttpRequest) -> HttpResponse:
    groups = selectors.faq_grouped(language=_language())
    return render(request, "knowledge/faq_list.html", {"groups": groups})


@cache_page_for_anonymous(namespace=selectors.PAGE_CACHE)
def glossary(request: HttpRequest) -> HttpResponse:
    letters = selectors.glossary_az(language=_language())
    return render(request, "knowledge/glossary_list.html", {"letters": letters})


@cache_page_for_anonymous(namespace=selectors.PAGE_CACHE)
def glossary_term(request: HttpRequest, slug: str) -> HttpResponse:
    term = selectors.glossary_term_for_reader(slug=slug, language=_language())
    return render(request, "knowledge/glossary_detail.html", {"term": term})
