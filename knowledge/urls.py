from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
]
