"""The editors' console. Actions and save hooks call services."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from reversion.admin import VersionAdmin
from reversion.models import Version

from .images import reencode_image
from .models import (
    Announcement,
    Article,
    ArticleFeedback,
    ArticleImage,
    Category,
    FaqEntry,
    GlossaryTerm,
    SearchQueryLog,
)
from .rendering import render_markdown
from .selectors import search_content_gaps, search_top_queries
from .services import (
    article_archive,
    article_draft_from_gap,
    article_image_upload,
    article_mark_reviewed,
    article_publish,
    article_return_to_draft,
    article_schedule,
    article_submit_for_review,
)


def _action_field(form_class, name: str, request):
    """One extra field of an admin action form, cleaned (None if invalid)."""
    field = form_class.base_fields[name]
    try:
        return field.clean(field.widget.value_from_datadict(request.POST, {}, name))
    except ValidationError:
        return None


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "display_name", "parent", "order", "icon")
    list_select_related = ("parent",)
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("slug", "names")
    autocomplete_fields = ("parent",)
    ordering = ("order", "slug")

    # The project catalogue's "name" is a person's name.
    @admin.display(description=pgettext_lazy("category", "name"))
    def display_name(self, obj):
        return obj.name  # in the editor's language, English as fallback

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Two levels only: a parent must itself be top-level.
        parent = form.base_fields.get("parent")
        if parent is not None:
            parent.queryset = Category.objects.filter(parent__isnull=True)
        return form


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Review due"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.review_due()
        return queryset


class FeedbackInline(admin.TabularInline):
    model = ArticleFeedback
    fields = ("created_at", "helpful", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    classes = ("collapse",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ArticleActionForm(ActionForm):
    publish_at = forms.SplitDateTimeField(
        label=_("Publish at (for “Schedule”)"),
        required=False,
        widget=AdminSplitDateTime,
    )


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = (
        "title",
        "language",
        "kind",
        "category",
        "status",
        "published_at",
        "review_by",
        "view_count",
        "helpful_yes",
        "helpful_no",
    )
    list_filter = ("status", "language", "category", ReviewDueFilter, "kind")
    list_select_related = ("category",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("category",)
    readonly_fields = ("status", "published_at", "publish_at", "view_count", "preview")
    fieldsets = (
        (None, {"fields": ("title", "slug", "language", "kind", "category", "summary", "body")}),
        (_("Workflow"), {"fields": ("status", "publish_at", "published_at", "review_by")}),
        (_("Translations"), {"fields": ("translation_group",), "classes": ("collapse",)}),
        (_("Preview"), {"fields": ("preview", "view_count")}),
    )
    inlines = [FeedbackInline]
    action_form = ArticleActionForm
    actions = [
        "submit_for_review",
        "publish",
        "schedule",
        "archive",
        "mark_reviewed",
        "return_to_draft",
    ]
    show_full_result_count = False
    object_history_template = "admin/knowledge/article/object_history.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                yes=Count("feedback", filter=Q(feedback__helpful=True)),
                no=Count("feedback", filter=Q(feedback__helpful=False)),
            )
        )

    @admin.display(description=_("helpful"), ordering="yes")
    def helpful_yes(self, obj):
        return obj.yes

    @admin.display(description=_("not helpful"), ordering="no")
    def helpful_no(self, obj):
        return obj.no

    @admin.display(description=_("rendered"))
    def preview(self, obj):
        if not obj.pk:
            return "-"
        # render_markdown output is sanitised by nh3.
        return mark_safe(f'<div class="article-preview">{render_markdown(obj.body).html}</div>')  # noqa: S308

    def _run(self, request, queryset, service, **kwargs) -> None:
        done = 0
        for article in queryset:
            try:
                service(article=article, by=request.user, **kwargs)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                message = "; ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
                self.message_user(request, f"{article}: {message}", messages.ERROR)
        if done:
            message = ngettext(
                "%(count)d article updated.", "%(count)d articles updated.", done
            ) % {"count": done}
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run(request, queryset, article_submit_for_review)

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish(self, request, queryset):
        self._run(request, queryset, article_publish)

    @admin.action(description=_("Schedule"), permissions=["publish"])
    def schedule(self, request, queryset):
        at = _action_field(ArticleActionForm, "publish_at", request)
        if at is None:
            self.message_user(request, _("Choose a publish time."), messages.ERROR)
            return
        self._run(request, queryset, article_schedule, at=at)

    @admin.action(description=_("Archive"), permissions=["change"])
    def archive(self, request, queryset):
        self._run(request, queryset, article_archive)

    @admin.action(description=_("Mark reviewed"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        self._run(request, queryset, article_mark_reviewed)

    @admin.action(description=_("Return to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._run(request, queryset, article_return_to_draft)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("knowledge.publish_article")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="knowledge_article_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        """A line diff of two saved versions of one article."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision")
        try:
            old = versions.get(pk=int(request.GET.get("a", "")))
            new = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, Version.DoesNotExist):
            self.message_user(request, _("Choose two versions to compare."), messages.ERROR)
            return TemplateResponse(
                request,
                "admin/knowledge/article/compare.html",
                {**self.admin_site.each_context(request), "article": article, "diffs": []},
            )
        diffs = []
        for name in ("title", "summary", "body"):
            before = str(old.field_dict.get(name, "")).splitlines()
            after = str(new.field_dict.get(name, "")).splitlines()
            lines = list(difflib.unified_diff(before, after, lineterm="", n=2))[2:]
            label = capfirst(Article._meta.get_field(name).verbose_name)
            diffs.append({"field": label, "lines": lines})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "old": old,
            "new": new,
            "diffs": diffs,
            "title": _("Compare versions of “%(title)s”") % {"title": article},
        }
        return TemplateResponse(request, "admin/knowledge/article/compare.html", context)

    def history_view(self, request, object_id, extra_context=None):
        article = get_object_or_404(Article, pk=object_id)
        versions = Version.objects.get_for_object(article).select_related("revision")
        extra_context = {
            **(extra_context or {}),
            "compare_versions": versions,
            "compare_url": reverse("admin:knowledge_article_compare", args=[article.pk]),
        }
        return super().history_view(request, object_id, extra_context)


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ("question", "language", "category", "order", "is_published")
    list_filter = ("is_published", "language", "category")
    list_select_related = ("category",)
    search_fields = ("question", "answer")
    autocomplete_fields = ("category",)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ("term", "language", "article", "is_published")
    list_filter = ("is_published", "language")
    list_select_related = ("article",)
    search_fields = ("term", "aliases", "definition")
    prepopulated_fields = {"slug": ("term",)}
    autocomplete_fields = ("article",)


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "language", "starts_at", "ends_at", "is_published")
    list_filter = ("kind", "language", "is_published")
    search_fields = ("title",)
    date_hierarchy = "starts_at"


class ArticleImageForm(forms.ModelForm):
    upload = forms.ImageField(label=_("image"))

    class Meta:
        model = ArticleImage
        fields = ("alt_text",)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        reencode_image(upload)  # rejects non-images and decompression bombs
        upload.seek(0)
        return upload


@admin.register(ArticleImage)
class ArticleImageAdmin(admin.ModelAdmin):
    list_display = ("alt_text", "markdown", "uploaded_at")
    search_fields = ("alt_text",)
    form = ArticleImageForm

    @admin.display(description=_("Markdown"))
    def markdown(self, obj):
        return format_html("<code>![{}]({})</code>", obj.alt_text, obj.image.url)

    def has_change_permission(self, request, obj=None):
        return False  # images are replaced, never edited in place

    def save_model(self, request, obj, form, change):
        image = article_image_upload(
            file=form.cleaned_data["upload"], alt_text=form.cleaned_data["alt_text"]
        )
        obj.pk = image.pk
        obj.image = image.image


class ZeroResultFilter(admin.SimpleListFilter):
    title = _("results")
    parameter_name = "hits"

    def lookups(self, request, model_admin):
        return [("zero", _("No results (content gaps)")), ("some", _("Some results"))]

    def queryset(self, request, queryset):
        if self.value() == "zero":
            return queryset.filter(result_count=0)
        if self.value() == "some":
            return queryset.filter(result_count__gt=0)
        return queryset


class GapActionForm(ActionForm):
    category = forms.ModelChoiceField(
        label=_("Category for new drafts"), queryset=Category.objects.all(), required=False
    )


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(admin.ModelAdmin):
    list_display = ("query", "language", "result_count", "clicked_url", "created_at")
    list_filter = ("language", ZeroResultFilter)
    search_fields = ("query",)
    date_hierarchy = "created_at"
    show_full_result_count = False
    action_form = GapActionForm
    actions = ["create_draft_from_gap"]
    change_list_template = "admin/knowledge/searchquerylog/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Create draft from gap"), permissions=["view"])
    def create_draft_from_gap(self, request, queryset):
        if not request.user.has_perm("knowledge.add_article"):
            raise PermissionDenied
        category = _action_field(GapActionForm, "category", request)
        if category is None:
            self.message_user(request, _("Choose a category for the drafts."), messages.ERROR)
            return
        seen = set()
        for log in queryset:
            key = (log.query, log.language)
            if key in seen:
                continue
            seen.add(key)
            try:
                article = article_draft_from_gap(
                    query=log.query, language=log.language, category=category
                )
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Draft created:"),
                    reverse("admin:knowledge_article_change", args=[article.pk]),
                    article.title,
                ),
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "insights/",
                self.admin_site.admin_view(self.insights_view),
                name="knowledge_searchquerylog_insights",
            ),
            *super().get_urls(),
        ]

    def insights_view(self, request):
        """Top queries and zero-result queries (content gaps), last 30 days."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Search insights"),
            "top": search_top_queries(days=30),
            "gaps": search_content_gaps(days=30),
            "generated": timezone.now(),
        }
        return TemplateResponse(request, "admin/knowledge/searchquerylog/insights.html", context)
