"""Every write to the knowledge base.

Article workflow: draft → in review → published → archived. Publishing and
scheduling need knowledge.publish_article and always keep a revision.
"""

import atexit
import datetime
import logging
import threading
import time
import unicodedata
from collections import Counter

import reversion
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from support_portal.accounts.models import User

from .images import reencode_image
from .models import Article, ArticleFeedback, ArticleImage, Category, SearchQueryLog

PUBLISH_PERMISSION = "knowledge.publish_article"


def _review_interval() -> datetime.timedelta:
    return datetime.timedelta(days=settings.KNOWLEDGE_REVIEW_INTERVAL_DAYS)


def _require_status(article: Article, allowed: set[str], action: str) -> None:
    if article.status not in allowed:
        raise ValidationError(
            # Translators: action is one of the workflow verbs below ("publish",
            # "archive"…); status is the article's status ("draft", "published"…).
            _("Cannot %(action)s an article that is %(status)s.")
            % {"action": action, "status": article.get_status_display().lower()},
            code="invalid_transition",
        )


def _require_publisher(by: User | None) -> None:
    if by is None or not by.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("You may not publish articles."))


def _save_revision(article: Article, *, by: User | None, comment: str) -> None:
    with reversion.create_revision():
        article.save()
        if by is not None:
            reversion.set_user(by)
        reversion.set_comment(comment)


@transaction.atomic
def article_create_draft(
    *,
    title: str,
    language: str,
    category: Category,
    body: str = "",
    summary: str = "",
    kind: str = Article.Kind.ARTICLE,
    slug: str = "",
) -> Article:
    """A new draft; the slug is made unique within its language."""
    base = slug or slugify(title, allow_unicode=False) or "article"
    candidate, n = base[:190], 2
    while Article.objects.filter(language=language, slug=candidate).exists():
        candidate, n = f"{base[:185]}-{n}", n + 1
    return Article.objects.create(
        title=title,
        language=language,
        category=category,
        body=body,
        summary=summary,
        kind=kind,
        slug=candidate,
        status=Article.Status.DRAFT,
    )


@transaction.atomic
def article_submit_for_review(*, article: Article, by: User | None = None) -> Article:
    """Only drafts go to review."""
    _require_status(article, {Article.Status.DRAFT}, _("submit for review"))
    article.status = Article.Status.IN_REVIEW
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def article_return_to_draft(*, article: Article, by: User | None = None) -> Article:
    """Reviewers send work back; archived articles can be revived as drafts."""
    _require_status(
        article, {Article.Status.IN_REVIEW, Article.Status.ARCHIVED}, _("return to draft")
    )
    article.status = Article.Status.DRAFT
    article.publish_at = None
    article.published_at = None
    article.save(update_fields=["status", "publish_at", "published_at", "updated_at"])
    return article


@transaction.atomic
def article_publish(*, article: Article, by: User | None) -> Article:
    """Publish now. Needs the publish permission, a reviewed (or scheduled)
    article, and keeps a revision."""
    _require_publisher(by)
    scheduled = article.status == Article.Status.PUBLISHED and article.publish_at is not None
    if not scheduled:
        _require_status(article, {Article.Status.IN_REVIEW}, _("publish"))
    now = timezone.now()
    article.status = Article.Status.PUBLISHED
    article.published_at = now
    article.publish_at = None
    article.review_by = article.review_by or (now + _review_interval()).date()
    _save_revision(article, by=by, comment=_("Published"))
    return article


@transaction.atomic
def article_schedule(*, article: Article, by: User | None, at: datetime.datetime) -> Article:
    """Publish at a future time. Readers (and the index) see it from then on."""
    _require_publisher(by)
    _require_status(article, {Article.Status.IN_REVIEW}, _("schedule"))
    if timezone.is_naive(at) or at <= timezone.now():
        raise ValidationError(_("The publish time must be in the future."), code="past")
    article.status = Article.Status.PUBLISHED
    article.publish_at = at
    article.published_at = at
    article.review_by = article.review_by or (at + _review_interval()).date()
    _save_revision(article, by=by, comment=_("Scheduled for %(at)s") % {"at": at.isoformat()})
    return article


@transaction.atomic
def article_archive(*, article: Article, by: User | None = None) -> Article:
    _require_status(article, {Article.Status.PUBLISHED}, _("archive"))
    article.status = Article.Status.ARCHIVED
    article.publish_at = None
    article.save(update_fields=["status", "publish_at", "updated_at"])
    return article


@transaction.atomic
def article_mark_reviewed(*, article: Article, by: User | None = None) -> Article:
    """An editor confirmed the content is still right: push review-by forward."""
    _require_status(article, {Article.Status.PUBLISHED}, _("mark as reviewed"))
    article.review_by = timezone.localdate() + _review_interval()
    article.save(update_fields=["review_by", "updated_at"])
    return article


# Views are counted in this process's memory and written in batches, so a page
# served from the page cache costs no query. A crash or restart loses at most
# VIEW_FLUSH_SECONDS of counts, which popularity ranking can afford. Memory,
# not the cache: with the local-memory cache a worker process could never see
# the web processes' counts.
VIEW_FLUSH_SECONDS = 10.0
_pending_views: Counter[int] = Counter()
_pending_lock = threading.Lock()
_last_flush = time.monotonic()


def article_record_view(*, article_id: int) -> None:
    """Count one view of an article; written by article_views_flush()."""
    with _pending_lock:
        _pending_views[article_id] += 1
        due = time.monotonic() - _last_flush >= VIEW_FLUSH_SECONDS
    if due:
        article_views_flush()


def article_views_flush() -> int:
    """Write the views counted so far; returns how many. One UPDATE per
    distinct increment. F() keeps processes from overwriting each other, and
    updated_at is left alone so a view does not look like an edit (or
    trigger a reindex)."""
    global _last_flush
    with _pending_lock:
        pending = dict(_pending_views)
        _pending_views.clear()
        _last_flush = time.monotonic()
    if not pending:
        return 0
    by_increment: dict[int, list[int]] = {}
    for pk, n in pending.items():
        by_increment.setdefault(n, []).append(pk)
    with transaction.atomic():
        for n, pks in by_increment.items():
            Article.objects.filter(pk__in=pks).update(view_count=F("view_count") + n)
    return sum(pending.values())


@transaction.atomic
def article_feedback_add(*, article: Article, helpful: bool, comment: str = "") -> ArticleFeedback:
    """Votes only count for articles readers can see."""
    if not Article.objects.published().filter(pk=article.pk).exists():
        raise ValidationError(_("This article is not published."), code="unpublished")
    return ArticleFeedback.objects.create(
        article=article, helpful=helpful, comment=comment.strip()[:2000]
    )


def article_image_upload(*, file: UploadedFile, alt_text: str) -> ArticleImage:
    """Store a re-encoded copy: no EXIF, no polyglot payloads, a random name."""
    content = reencode_image(file)
    assert content.name is not None  # reencode_image always names its output
    image = ArticleImage(alt_text=alt_text)
    image.image.save(content.name, content, save=False)
    image.save()
    return image


def normalise_query(query: str) -> str:
    """Case-fold and collapse whitespace so the same question counts once."""
    text = unicodedata.normalize("NFKC", query).casefold()
    return " ".join(text.split())[:200]


# Search analytics, like view counts, are written in batches: a search adds a
# row to this process's buffer, and search_log_flush() writes the buffer with
# one INSERT when SEARCH_LOG_FLUSH_SECONDS have passed or SEARCH_LOG_FLUSH_SIZE
# rows are waiting (also run by a periodic task and at exit). The search page
# can then be served from the page cache: the click on a result carries a
# signed (query, language, result count) instead of a row id, so it finds its
# row whenever that was written.
SEARCH_LOG_FLUSH_SECONDS = 5.0
SEARCH_LOG_FLUSH_SIZE = 500
# A click whose search is not in the database yet (still buffered by another
# process) is retried at later flushes; after this long it is written as a
# clicked search of its own rather than lost.
SEARCH_CLICK_RETRY_SECONDS = 3 * SEARCH_LOG_FLUSH_SECONDS
SEARCH_CLICK_MAX_AGE = datetime.timedelta(days=1)
_CLICK_SALT = "knowledge.search-click"
_pending_searches: list[SearchQueryLog] = []
_pending_clicks: list[tuple[str, str, int, str, float]] = []
_search_lock = threading.Lock()
_search_last_flush = time.monotonic()
log = logging.getLogger(__name__)


def search_log_record(*, query: str, language: str, result_count: int) -> None:
    """Log one search (normalised query, no personal data); written by
    search_log_flush()."""
    row = SearchQueryLog(
        query=normalise_query(query), language=language[:10], result_count=result_count
    )
    with _search_lock:
        _pending_searches.append(row)
        due = (
            len(_pending_searches) >= SEARCH_LOG_FLUSH_SIZE
            or time.monotonic() - _search_last_flush >= SEARCH_LOG_FLUSH_SECONDS
        )
    if due:
        search_log_flush()


def search_click_token(*, query: str, language: str, result_count: int) -> str:
    """What a result link posts to record the click: the search, signed."""
    search = [normalise_query(query), language[:10], result_count]
    return signing.dumps(search, salt=_CLICK_SALT)


def search_log_click(*, token: str, url: str) -> bool:
    """Record that a result of the signed search was opened: on the latest
    logged search like it that has no click yet. Returns False for a bad or
    expired token or a URL that is not a local path (the log must not become
    a store of arbitrary text)."""
    if not url.startswith("/") or url.startswith("//"):
        return False
    try:
        query, language, result_count = signing.loads(
            token, salt=_CLICK_SALT, max_age=SEARCH_CLICK_MAX_AGE
        )
    except (signing.BadSignature, TypeError, ValueError):
        return False
    with _search_lock:
        _pending_clicks.append((query, language, int(result_count), url[:300], time.monotonic()))
    search_log_flush()
    return True


def search_log_flush() -> int:
    """Write the buffered searches, then the clicks that can find their
    search; returns how many searches were written."""
    global _search_last_flush
    with _search_lock:
        searches = list(_pending_searches)
        clicks = list(_pending_clicks)
        _pending_searches.clear()
        _pending_clicks.clear()
        _search_last_flush = time.monotonic()
    if searches:
        SearchQueryLog.objects.bulk_create(searches)
    waiting = [click for click in clicks if not _search_click_apply(*click)]
    if waiting:
        with _search_lock:
            _pending_clicks.extend(waiting)
    return len(searches)


def _search_click_apply(query: str, language: str, count: int, url: str, at: float) -> bool:
    since = timezone.now() - SEARCH_CLICK_MAX_AGE
    unclicked = SearchQueryLog.objects.filter(
        query=query, language=language, result_count=count, clicked_url="", created_at__gte=since
    )
    for _attempt in range(3):  # another process may take the same row first
        pk = unclicked.order_by("-pk").values_list("pk", flat=True).first()
        if pk is None:
            break
        if SearchQueryLog.objects.filter(pk=pk, clicked_url="").update(clicked_url=url):
            return True
    if time.monotonic() - at < SEARCH_CLICK_RETRY_SECONDS:
        return False
    SearchQueryLog.objects.create(
        query=query, language=language, result_count=count, clicked_url=url
    )
    return True


@atexit.register
def _search_log_flush_at_exit() -> None:
    if not (_pending_searches or _pending_clicks):
        return
    try:
        search_log_flush()
    except DatabaseError:
        log.exception("Could not write %d buffered searches", len(_pending_searches))


@transaction.atomic
def article_draft_from_gap(*, query: str, language: str, category: Category) -> Article:
    """Editors turn a zero-result query into a draft to fill the gap."""
    title = normalise_query(query)
    if not title:
        raise ValidationError(_("The query is empty."), code="empty")
    return article_create_draft(
        title=title[:1].upper() + title[1:],
        language=language,
        category=category,
        slug=slugify(title) or "gap",
    )
