from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="kb-article")
router.register("faqs", views.FaqEntryViewSet, basename="kb-faq")
router.register("glossary", views.GlossaryTermViewSet, basename="kb-glossary")
router.register("categories", views.CategoryViewSet, basename="kb-category")

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="kb-search"),
    path("suggest/", views.SuggestView.as_view(), name="kb-suggest"),
    *router.urls,
]
