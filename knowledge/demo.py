"""Demo help-centre content from knowledge/demo_data/*.json.

Idempotent: rows are matched on natural keys (category slug, and a
translation group derived from each entry's key plus its language), so
running it again updates in place.
"""

import datetime
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from .models import Announcement, Article, Category, FaqEntry, GlossaryTerm

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
LANGUAGES = ("en", "zh-hans")
NAMESPACE = uuid.UUID("6f1c3f0e-5d7c-4a53-9c1e-8f0c2b8f6a11")


def _group(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


def _read(data_dir: Path, name: str) -> list[dict]:
    path = data_dir / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def load(*, stdout, data_dir: Path | None = None) -> None:
    data_dir = data_dir or DATA_DIR
    now = timezone.now()
    categories: dict[str, Category] = {}
    for row in sorted(_read(data_dir, "categories.json"), key=lambda r: r["parent"] is not None):
        categories[row["key"]], _ = Category.objects.update_or_create(
            slug=row["key"],
            defaults={
                "parent": categories.get(row["parent"]) if row["parent"] else None,
                "icon": row.get("icon", ""),
                "order": row.get("order", 0),
                "names": {lang: row[lang]["name"] for lang in LANGUAGES if lang in row},
                "descriptions": {
                    lang: row[lang].get("description", "") for lang in LANGUAGES if lang in row
                },
            },
        )

    articles: dict[tuple[str, str], Article] = {}
    for row in _read(data_dir, "articles.json"):
        published = row.get("status", "published") == "published"
        overdue = row.get("review_overdue", False)
        for lang in LANGUAGES:
            if lang not in row:
                continue
            text = row[lang]
            review_by = now.date() + datetime.timedelta(
                days=settings.KNOWLEDGE_REVIEW_INTERVAL_DAYS
            )
            articles[(row["key"], lang)], _ = Article.objects.update_or_create(
                translation_group=_group("article", row["key"]),
                language=lang,
                defaults={
                    "category": categories[row["category"]],
                    "kind": row.get("kind", "article"),
                    "title": text["title"],
                    "slug": text["slug"],
                    "summary": text.get("summary", "")[:300],
                    "body": text["body"],
                    # Demo rows are set directly: the workflow is for editors.
                    "status": Article.Status.PUBLISHED if published else Article.Status.DRAFT,
                    "published_at": now - datetime.timedelta(days=30) if published else None,
                    "review_by": (
                        now.date() - datetime.timedelta(days=3)
                        if overdue
                        else review_by
                        if published
                        else None
                    ),
                },
            )

    for order, row in enumerate(_read(data_dir, "faqs.json")):
        for lang in LANGUAGES:
            if lang in row:
                FaqEntry.objects.update_or_create(
                    translation_group=_group("faq", row["key"]),
                    language=lang,
                    defaults={
                        "category": categories[row["category"]],
                        "question": row[lang]["question"],
                        "answer": row[lang]["answer"],
                        "order": order,
                    },
                )

    for row in _read(data_dir, "glossary.json"):
        for lang in LANGUAGES:
            if lang not in row:
                continue
            text = row[lang]
            GlossaryTerm.objects.update_or_create(
                translation_group=_group("glossary", row["key"]),
                language=lang,
                defaults={
                    "term": text["term"],
                    "slug": slugify(row["key"]) if lang == "en" else f"{slugify(row['key'])}-zh",
                    "aliases": text.get("aliases", []),
                    "definition": text["definition"][:400],
                    "article": articles.get((row["article"], lang)) if row.get("article") else None,
                },
            )

    for row in _read(data_dir, "announcements.json"):
        for lang in LANGUAGES:
            if lang in row:
                Announcement.objects.update_or_create(
                    translation_group=_group("announcement", row["key"]),
                    language=lang,
                    defaults={
                        "kind": row["kind"],
                        "title": row[lang]["title"],
                        "body": row[lang]["body"],
                        "starts_at": now - datetime.timedelta(hours=1),
                        "ends_at": now + datetime.timedelta(days=row.get("days_valid", 14)),
                    },
                )
    # Every save above queued its own index update after commit (see
    # receivers); `make run` also rebuilds the whole index afterwards.
    stdout.write(
        f"Knowledge base: {Category.objects.count()} categories, "
        f"{Article.objects.count()} articles, {FaqEntry.objects.count()} FAQ entries, "
        f"{GlossaryTerm.objects.count()} glossary terms, "
        f"{Announcement.objects.count()} announcements."
    )
