from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors
from .forms import FeedbackForm, SearchForm
from .models import Article, Category
from .services import article_feedback_add, article_record_view, search_log_click, search_log_record

PER_PAGE = 10


def _language() -> str:
    return get_language() or "en"


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context = {"form": form, "query": "", "categories": selectors.categories_top()}
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        query, language = data["q"], data["lang"] or _language()
        category = Category.objects.filter(slug=data["category"]).first()
        found = selectors.article_search_for_reader(
            query=query, language=language, type=data["type"] or None, category=category
        )
        page = Paginator(found.results, PER_PAGE).get_page(request.GET.get("page"))
        # An English fallback still logs zero: the gap is in the reader's language.
        count = 0 if found.fallback_language else page.paginator.count
        log = search_log_record(query=query, language=language, result_count=count)
        hits = selectors.search_hits(results=page.object_list, query=query)
        suggestion = None if page.paginator.count > 2 else selectors.search_spelling(query=query)
        context.update(query=query, page=page, hits=hits, suggestion=suggestion, log_id=log.pk)
        context.update(searched_language=language, fallback_language=found.fallback_language)
    return render(request, "knowledge/search.html", context)


@require_POST
def search_click(request: HttpRequest, log_id: int) -> HttpResponse:
    """Records which result was opened, then follows it."""
    url = request.POST.get("to", "")
    search_log_click(log_id=log_id, url=url)
    return redirect(url if url.startswith("/") and not url.startswith("//") else "/")


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_by_slug(slug=slug)
    articles = selectors.articles_in_category(category=category, language=_language())
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "knowledge/category_detail.html", {"category": category, "page": page})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    view = selectors.article_for_reader(slug=slug, language=_language())
    if view.redirect_to:
        return redirect(view.redirect_to)
    article_record_view(article=view.article)
    context = {
        "view": view,
        "article": view.article,
        "rendered": selectors.article_rendered(article=view.article),
        "breadcrumbs": selectors.article_breadcrumbs(article=view.article),
        "related": selectors.articles_related(article=view.article),
        "feedback_form": FeedbackForm(),
    }
    return render(request, "knowledge/article_detail.html", context)


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


def faq(request: HttpRequest) -> HttpResponse:
    groups = selectors.faq_grouped(language=_language())
    return render(request, "knowledge/faq_list.html", {"groups": groups})


def glossary(request: HttpRequest) -> HttpResponse:
    letters = selectors.glossary_az(language=_language())
    return render(request, "knowledge/glossary_list.html", {"letters": letters})


def glossary_term(request: HttpRequest, slug: str) -> HttpResponse:
    term = selectors.glossary_term_for_reader(slug=slug, language=_language())
    return render(request, "knowledge/glossary_detail.html", {"term": term})
