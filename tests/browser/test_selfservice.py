"""Deposit tracer in a real browser: confirmed but not credited → a pre-filled deposit ticket."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from selfservice import demo
from selfservice.models import ChainNetwork
from selfservice.replay import ReplayServer, load_recordings
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORDINGS = Path(demo.__file__).parent / "recordings"


@pytest.fixture
def replay():
    with ReplayServer(load_recordings(RECORDINGS)) as server:  # a free 127.0.0.1 port
        yield server


@pytest.fixture
def bitcoin(replay):
    return ChainNetwork.objects.create(
        code="BTC",
        name="Bitcoin",
        coins="BTC",
        txid_format=ChainNetwork.TxidFormat.BTC,
        required_confirmations=2,
        block_time_seconds=600,
        provider=ChainNetwork.Provider.ESPLORA,
        provider_url=f"{replay.url}/btc-esplora",
    )


def sign_in(browser_page: Page, base: str, email: str) -> None:
    browser_page.goto(base + "/accounts/login/")
    browser_page.locator("input[name=login]").fill(email)
    browser_page.locator("input[name=password]").fill(PASSWORD)
    browser_page.locator("form button[type=submit]").last.click()
    expect(browser_page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_confirmed_deposit_leads_to_a_prefilled_ticket(live_server, page: Page, bitcoin):
    UserFactory(email="alice@example.com", preferred_language="en")
    base = live_server.url
    sign_in(page, base, "alice@example.com")

    page.goto(base + "/selfservice/deposit-trace/")
    page.get_by_label("Coin", exact=True).fill("BTC")
    page.get_by_label("Network", exact=True).select_option("BTC")
    page.get_by_label("Transaction ID (TXID)").fill(demo.BTC_CONFIRMED)
    page.get_by_label("Your deposit address (optional)").fill(demo.BTC_ADDRESS)
    page.get_by_role("button", name="Trace deposit").click()

    verdict = page.locator("[data-verdict]")
    expect(verdict).to_have_attribute("data-verdict", "confirmed_not_credited")
    expect(page.get_by_role("heading", name="Confirmed on the blockchain")).to_be_visible()
    expect(page.get_by_text("Confirmations: 6 of 2 needed.")).to_be_visible()

    page.get_by_role("link", name="Open a deposit ticket").click()
    expect(page).to_have_url(re.compile(r"/tickets/new/\?category=deposit"))
    expect(page.get_by_label("Transaction ID (TXID)")).to_have_value(demo.BTC_CONFIRMED)
    expect(page.get_by_label("Deposit address")).to_have_value(demo.BTC_ADDRESS)
    expect(page.locator("[name=intake_coin]")).to_have_value("BTC")
    expect(page.locator("[name=intake_network]")).to_have_value("BTC")
