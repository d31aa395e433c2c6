import io
from pathlib import Path

import pytest

from knowledge import demo
from knowledge.models import Announcement, Article, Category, FaqEntry, GlossaryTerm
from knowledge.selectors import article_search

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).parent / "demo_fixture"


def test_demo_loader_is_idempotent_and_indexes():
    demo.load(stdout=io.StringIO(), data_dir=FIXTURE)
    demo.load(stdout=io.StringIO(), data_dir=FIXTURE)
    assert Category.objects.get(slug="deposits").parent.slug == "funds"
    assert Article.objects.count() == 4
    assert Article.objects.published().count() == 3
    assert Article.objects.review_due().get().slug == "old-article"
    assert FaqEntry.objects.count() == 2
    assert GlossaryTerm.objects.get(language="en").article.slug == "deposit-missing"
    assert Announcement.objects.active().count() == 2
    assert [r.title for r in article_search(query="充币", language="zh-hans")] == ["充币未到账"]
    assert list(article_search(query="draftonly", language="en")) == []


def test_shipped_demo_data_loads():
    demo.load(stdout=io.StringIO())
    assert Article.objects.published().filter(language="zh-hans").exists()
