from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/click/", views.search_click, name="search-click"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/feedback/", views.article_feedback, name="article-feedback"),
    path("faq/", views.faq, name="faq"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:slug>/", views.glossary_term, name="glossary-term"),
]
