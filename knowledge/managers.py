from typing import Self

from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self) -> Self:
        """Visible to readers: published, and its publish time has come."""
        return self.filter(status="published", published_at__lte=timezone.now())

    def review_due(self) -> Self:
        return self.filter(status="published", review_by__lte=timezone.localdate())


class PublishableQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(is_published=True)


class AnnouncementQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(is_published=True)

    def active(self) -> Self:
        now = timezone.now()
        return self.published().filter(starts_at__lte=now, ends_at__gt=now)
