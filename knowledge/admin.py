from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Article
from .services import article_publish


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "status", "published_at", "updated_at")
    list_filter = ("status", "language")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("status", "published_at")
    actions = ["publish"]

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        try:
            for article in queryset:
                article_publish(article=article, by=request.user)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("knowledge.publish_article")
