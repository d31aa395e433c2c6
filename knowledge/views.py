from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .selectors import article_published, article_search


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if query:
        results = article_search(query=query, language=get_language())
        page = Paginator(results, 10).get_page(request.GET.get("page"))
    return render(request, "knowledge/search.html", {"query": query, "page": page})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = article_published(language=get_language(), slug=slug)
    return render(request, "knowledge/article_detail.html", {"article": article})
