import pytest
from playwright.sync_api import Page, expect

from tests.knowledge.factories import ArticleFactory, CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _clear_search_index():
    from haystack import connections

    connections["default"].get_backend().clear()
    yield
    connections["default"].get_backend().clear()


def test_search_in_chinese_and_open_article(live_server, page: Page):
    category = CategoryFactory(names={"en": "Deposits", "zh-hans": "充值"})
    ArticleFactory(
        published=True,
        category=category,
        language="zh-hans",
        title="如何查询充币记录",
        slug="deposit-history-zh",
        body="## 查看记录\n\n在资产页面可以查看每一笔充币的状态。",
    )
    page.goto(live_server.url + "/")
    page.get_by_label("Language").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    box = page.locator("#hero-search-q")
    box.fill("充币")
    suggestion = page.get_by_role("option", name="如何查询充币记录")
    expect(suggestion).to_be_visible()

    box.press("Enter")
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-snippet mark").first).to_have_text("充币")
    page.locator(".search-result button").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("如何查询充币记录")
    expect(page.locator(".kb-toc a")).to_have_text("查看记录")
