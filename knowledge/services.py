from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from support_portal.accounts.models import User

from .models import Article


@transaction.atomic
def article_publish(*, article: Article, by: User) -> Article:
    """Publish an article. Only holders of knowledge.publish_article may."""
    if not by.has_perm("knowledge.publish_article"):
        raise PermissionDenied(_("You may not publish articles."))
    article.status = Article.Status.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    return article
