import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from support_portal.accounts.roles import Role
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.knowledge.factories import ArticleFactory
from tickets.models import Deflection, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_deposit_ticket_acknowledged_answered_in_admin_and_rated(
    live_server, page: Page, browser: Browser, settings
):
    settings.STAFF_MFA_REQUIRED = False
    UserFactory(email="trader@example.com", preferred_language="en")
    StaffFactory(email="agent@example.com", role=Role.AGENT)
    base = live_server.url

    # The customer opens a deposit ticket from a pre-filled link.
    sign_in(page, base, "trader@example.com")
    page.goto(base + "/tickets/new/?category=deposit&network=BTC&coin=BTC&txid=" + "a" * 64)
    page.get_by_label("Subject").fill("BTC deposit missing")
    page.get_by_label("Amount").fill("0.5")
    page.get_by_label("Deposit address").fill("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    page.get_by_label("Time (approximate)").fill("2025-01-31T14:05")
    page.get_by_label("Describe the problem").fill("Sent 0.5 BTC two hours ago.")
    page.get_by_role("button", name="Submit ticket").click()
    expect(page.get_by_text("We have received your request")).to_be_visible()
    reference = Ticket.objects.get().reference
    expect(page.locator("code", has_text=reference)).to_be_visible()

    # The agent answers in the console.
    agent_context = browser.new_context()
    agent = agent_context.new_page()
    sign_in(agent, base, "agent@example.com")
    ticket = Ticket.objects.get()
    agent.goto(f"{base}/admin/tickets/ticket/{ticket.pk}/change/")
    expect(agent.get_by_text("Sent 0.5 BTC two hours ago.")).to_be_visible()
    agent.locator("#agent-reply-body").fill("Your deposit is credited now.")
    agent.locator("#agent-reply-form input[type=submit]").click()
    expect(agent.get_by_text("Reply sent.")).to_be_visible()
    agent.locator("#set-status").select_option("resolved")
    agent.get_by_role("button", name="Change status").click()
    expect(agent.get_by_text("Done.")).to_be_visible()
    agent_context.close()

    # The customer sees the reply and rates the resolution.
    page.reload()
    expect(page.get_by_text("Your deposit is credited now.")).to_be_visible()
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Comment (optional)").fill("Fast, thanks")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_text("You rated this resolution 5 out of 5")).to_be_visible()


@pytest.fixture
def _clear_search_index():
    from haystack import connections

    connections["default"].get_backend().clear()
    yield
    connections["default"].get_backend().clear()


def _wait_for(condition, seconds: float = 5) -> None:
    # The beacon leaves as the page unloads: the row lands a moment later.
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.usefixtures("_clear_search_index")
def test_subject_suggests_articles_and_following_one_records_a_deflection(live_server, page: Page):
    article = ArticleFactory(
        published=True,
        title="Reset your two-factor authentication",
        slug="reset-2fa",
        body="## Lost your phone?\n\nStart a 2FA reset from the login page.",
    )
    ArticleFactory(published=True, title="Withdrawal limits", slug="withdrawal-limits")
    UserFactory(email="trader@example.com", preferred_language="en")
    base = live_server.url
    sign_in(page, base, "trader@example.com")
    page.goto(base + "/tickets/new/?category=other")
    subject = page.get_by_label("Subject")
    suggestions = page.locator(".kb-suggestions")
    expect(suggestions).to_be_hidden()

    subject.press_sequentially("two-factor reset", delay=20)
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link")).to_have_count(1)
    link = suggestions.get_by_role("link", name="Reset your two-factor authentication")
    expect(link).to_have_attribute("href", article.get_absolute_url())

    # Suggestions for a subject the user has deleted go away with it.
    subject.fill("")
    subject.press_sequentially("tw", delay=20)
    expect(suggestions).to_be_hidden()
    subject.fill("")
    subject.press_sequentially("two-factor reset", delay=20)
    expect(link).to_be_visible()

    # Opening the article in a new tab leaves the form open: no deflection.
    with page.context.expect_page() as new_tab:
        link.click(modifiers=["ControlOrMeta"])
    new_tab.value.close()
    assert not Deflection.objects.exists()

    link.click()
    expect(page).to_have_url(base + article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    _wait_for(Deflection.objects.exists)
    time.sleep(0.3)  # room for a stray second beacon to arrive, were there one
    deflection = Deflection.objects.get()
    assert deflection.article_url == article.get_absolute_url()
    assert deflection.query == "two-factor reset"
    assert deflection.user.email == "trader@example.com"


@pytest.mark.usefixtures("_clear_search_index")
def test_two_chinese_characters_are_enough_for_suggestions(live_server, page: Page):
    ArticleFactory(published=True, language="zh-hans", title="如何查询充币记录", slug="deposit-zh")
    UserFactory(email="trader@example.com", preferred_language="zh-hans")
    sign_in(page, live_server.url, "trader@example.com")
    page.goto(live_server.url + "/tickets/new/?category=other")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.locator("#id_subject").press_sequentially("充币", delay=20)

    suggestion = page.locator(".kb-suggestions").get_by_role("link", name="如何查询充币记录")
    expect(suggestion).to_be_visible()
