import re

import pytest
from playwright.sync_api import Browser, Page, expect

from support_portal.accounts.roles import Role
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tickets.models import Ticket

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
