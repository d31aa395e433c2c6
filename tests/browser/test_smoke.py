import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_renders_switches_to_chinese_and_login_works(live_server, page: Page):
    UserFactory(email="trader@example.com")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we help?")
    expect(page.get_by_role("heading", name="Official support channels")).to_be_visible()

    page.get_by_label("Language").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("需要什么帮助?")

    page.get_by_role("link", name="登录").click()
    page.get_by_label("电子邮件").fill("trader@example.com")
    page.get_by_label("密码").fill("correct-horse-battery-9")
    page.locator("form").get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("summary", has_text="账户")).to_be_visible()
