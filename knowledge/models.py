import secrets
import uuid
from pathlib import PurePath

import reversion
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .managers import AnnouncementQuerySet, ArticleQuerySet, PublishableQuerySet

FALLBACK_LANGUAGE = "en"


def _in_language(values: dict, language: str | None = None) -> str:
    """Pick the text for a language from a {lang: text} map, English as fallback."""
    values = values or {}
    language = language or get_language() or FALLBACK_LANGUAGE
    return values.get(language) or values.get(FALLBACK_LANGUAGE) or ""


class Category(models.Model):
    """A help-centre section. Two levels only: a top category and its children."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    names = models.JSONField(_("names"), default=dict, help_text=_('{"en": "…", "zh-hans": "…"}'))
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:category-detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return _in_language(self.names) or self.slug

    @property
    def description(self) -> str:
        return _in_language(self.descriptions)


class TranslatableContent(models.Model):
    """Content exists once per language; a translation group links the versions."""

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=FALLBACK_LANGUAGE
    )
    translation_group = models.UUIDField(_("translation group"), default=uuid.uuid4, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


@reversion.register()
class Article(TranslatableContent):
    """A help-centre article or tutorial in one language."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        TUTORIAL = "tutorial", _("Tutorial")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("scheduled publish time"), null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        permissions = [("publish_article", _("Can publish articles"))]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="article_unique_slug"),
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="article_one_per_language"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]
        # Language first: an index led by status (one value for most rows) is
        # what SQLite's planner, without ANALYZE statistics, picked over the
        # slug and translation-group indexes for a reader's article lookup.
        indexes = [
            models.Index(fields=["language", "status", "-view_count"], name="article_popular_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article-detail", kwargs={"slug": self.slug})


class FaqEntry(TranslatableContent):
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="faqs"
    )
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), help_text=_("Markdown."))
    order = models.PositiveIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["order", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="faq_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("knowledge:faq") + f"#faq-{self.pk}"


class GlossaryTerm(TranslatableContent):
    term = models.CharField(_("term"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    definition = models.CharField(_("short definition"), max_length=400)
    article = models.ForeignKey(
        Article,
        verbose_name=_("full article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_published = models.BooleanField(_("published"), default=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="glossary_unique_slug"),
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="glossary_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("knowledge:glossary-term", kwargs={"slug": self.slug})


class Announcement(TranslatableContent):
    class Kind(models.TextChoices):
        SECURITY = "security", _("Security notice")
        MAINTENANCE = "maintenance", _("Maintenance notice")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_published = models.BooleanField(_("published"), default=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleFeedback(models.Model):
    """A reader's vote. Anonymous on purpose: no user, no IP."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="feedback"
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


def _random_image_name(instance: "ArticleImage", filename: str) -> str:
    # Uploaded names are never reused: they can carry personal data or paths.
    return f"knowledge/{secrets.token_hex(16)}{PurePath(filename).suffix.lower()}"


class ArticleImage(models.Model):
    image = models.ImageField(_("image"), upload_to=_random_image_name)
    alt_text = models.CharField(_("alternative text"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.alt_text


class SearchQueryLog(models.Model):
    """One search. Holds the normalised query only: no user, IP or e-mail."""

    query = models.CharField(_("query"), max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    result_count = models.PositiveIntegerField(_("results"))
    clicked_url = models.CharField(_("clicked result"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("searched at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.query
