"""The deposit tracer against recorded provider responses on 127.0.0.1, incl. a timeout."""

from pathlib import Path

import pytest
from django.urls import reverse

from selfservice import clients
from selfservice.models import ChainNetwork
from selfservice.replay import ReplayServer, load_recordings
from selfservice.selectors import Verdict, deposit_trace

from .factories import ChainNetworkFactory

pytestmark = pytest.mark.django_db

API = "/api/selfservice/deposit-trace/"
BTX_CONFIRMED = "3a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0"
BTX_PENDING = "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100"
ETX_CONFIRMED = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"
ETX_PENDING = "0x7d1f0a9e3b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
ETX_FAILED = "0x" + "1" * 64
ETX_UNKNOWN = "0x" + "a" * 64
BTC_ADDRESS = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
ETH_ADDRESS = "0x1f9840a85d5af5bf1d1762f925bdaddc4201f984"


@pytest.fixture(scope="module")
def replay():
    with ReplayServer(load_recordings(Path(__file__).parent / "recordings")) as server:
        yield server


@pytest.fixture
def btc(replay):
    return ChainNetworkFactory(
        code="BTC",
        name="Bitcoin",
        coins="BTC",
        txid_format="btc",
        required_confirmations=2,
        block_time_seconds=600,
        provider="esplora",
        provider_url=f"{replay.url}/btc-esplora",
    )


@pytest.fixture
def eth(replay):
    return ChainNetworkFactory(
        code="ETH",
        provider="evm_rpc",
        provider_url=f"{replay.url}/eth-rpc",
    )


def test_esplora_client_counts_confirmations_and_outputs(replay):
    tx = clients.esplora_transaction(
        base_url=f"{replay.url}/btc-esplora", txid=BTX_CONFIRMED, timeout=2
    )
    assert tx.confirmations == 6
    assert BTC_ADDRESS in tx.recipients


def test_esplora_client_returns_none_for_unknown_tx(replay):
    assert (
        clients.esplora_transaction(base_url=f"{replay.url}/btc-esplora", txid="0" * 64, timeout=2)
        is None
    )


def test_evm_client_reads_token_transfer_recipient(replay):
    tx = clients.evm_transaction(base_url=f"{replay.url}/eth-rpc", txid=ETX_CONFIRMED, timeout=2)
    assert tx.confirmations == 65
    assert ETH_ADDRESS in tx.recipients and not tx.failed


def test_provider_timeout_is_unavailable(replay):
    with pytest.raises(clients.ProviderUnavailable):
        clients.esplora_transaction(
            base_url=f"{replay.url}/btc-slow", txid=BTX_CONFIRMED, timeout=0.5
        )
    with pytest.raises(clients.ProviderUnavailable):
        clients.evm_transaction(base_url=f"{replay.url}/eth-slow", txid=ETX_CONFIRMED, timeout=0.5)


def test_refused_connection_is_unavailable():
    with pytest.raises(clients.ProviderUnavailable):
        clients.esplora_transaction(base_url="http://127.0.0.1:9", txid=BTX_CONFIRMED, timeout=1)


def test_non_http_provider_url_is_refused():
    with pytest.raises(clients.ProviderUnavailable):
        clients.esplora_transaction(base_url="file:///etc", txid=BTX_CONFIRMED, timeout=1)


@pytest.mark.parametrize(
    "network, txid, address, verdict",
    [
        ("btc", BTX_CONFIRMED, BTC_ADDRESS, Verdict.CONFIRMED),
        ("btc", BTX_PENDING, "", Verdict.ON_ITS_WAY),
        ("btc", "0" * 64, "", Verdict.NOT_FOUND),
        ("btc", BTX_CONFIRMED, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", Verdict.WRONG_ADDRESS),
        ("btc", BTX_CONFIRMED, ETH_ADDRESS, Verdict.WRONG_NETWORK),
        ("eth", ETX_CONFIRMED, ETH_ADDRESS, Verdict.CONFIRMED),
        ("eth", ETX_PENDING, "", Verdict.ON_ITS_WAY),
        ("eth", ETX_FAILED, "", Verdict.FAILED),
        ("eth", ETX_UNKNOWN, "", Verdict.NOT_FOUND),
        ("eth", ETX_CONFIRMED, "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf", Verdict.WRONG_NETWORK),
    ],
)
def test_verdicts(request, network, txid, address, verdict):
    chain = request.getfixturevalue(network)
    assert deposit_trace(network=chain, txid=txid, address=address).verdict == verdict


def test_on_its_way_estimates_the_wait_from_remaining_blocks(btc, eth):
    assert deposit_trace(network=btc, txid=BTX_PENDING).wait_minutes == 10  # 1 block x 10 min
    assert deposit_trace(network=eth, txid=ETX_PENDING).wait_minutes == 7  # 31 x 12 s


def test_paused_network_says_so(btc):
    btc.deposits_enabled = False
    btc.notice = "Node upgrade"
    btc.save()
    assert deposit_trace(network=btc, txid=BTX_CONFIRMED).verdict == Verdict.PAUSED


def test_missing_memo_gets_recovery_guidance():
    xrp = ChainNetworkFactory(code="XRP", coins="XRP", txid_format="btc", memo_required=True)
    assert deposit_trace(network=xrp, txid="A" * 64).verdict == Verdict.MISSING_MEMO


def test_timeout_and_no_provider_are_unavailable(replay, settings):
    settings.CHAIN_PROVIDER_CONNECT_TIMEOUT = 0.2
    settings.CHAIN_PROVIDER_READ_TIMEOUT = 0.3
    slow = ChainNetworkFactory(
        code="ETH", provider="evm_rpc", provider_url=f"{replay.url}/eth-slow"
    )
    assert deposit_trace(network=slow, txid=ETX_CONFIRMED).verdict == Verdict.UNAVAILABLE
    sol = ChainNetworkFactory(code="SOL", coins="SOL", txid_format="sol", provider="none")
    assert deposit_trace(network=sol, txid="1" * 88).verdict == Verdict.UNAVAILABLE


def test_page_shows_confirmed_verdict_with_prefilled_ticket_link(client, btc):
    response = client.post(
        reverse("selfservice:deposit-trace"),
        {"coin": "btc", "network": "BTC", "txid": BTX_CONFIRMED, "address": BTC_ADDRESS},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="confirmed_not_credited"' in html
    assert "Confirmations: 6 of 2 needed." in html
    if "/tickets/new/" in html:
        assert f"category=deposit&amp;coin=BTC&amp;network=BTC&amp;txid={BTX_CONFIRMED}" in html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"coin": "BTC", "network": "BTC", "txid": "xyz"},
        {"coin": "BTC", "network": "BTC", "txid": ETX_CONFIRMED},
        {"coin": "ETH", "network": "BTC", "txid": BTX_CONFIRMED},
        {"coin": "BTC", "network": "NOPE", "txid": BTX_CONFIRMED},
        {"coin": "<b>", "network": "BTC", "txid": BTX_CONFIRMED},
        {"coin": "BTC", "network": "BTC", "txid": "a" * 5000},
    ],
)
def test_page_rejects_bad_input_with_form_errors(client, btc, data):
    response = client.post(reverse("selfservice:deposit-trace"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["trace"] is None


def test_api_returns_the_verdict(client, eth):
    response = client.post(
        API,
        {"coin": "usdt", "network": "ETH", "txid": ETX_CONFIRMED, "address": ETH_ADDRESS},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "confirmed_not_credited"
    assert (body["confirmations"], body["required_confirmations"]) == (65, 64)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"coin": "ETH", "network": "ETH", "txid": "0x12"},
        {"coin": "DOGE", "network": "ETH", "txid": ETX_CONFIRMED},
        {"coin": "ETH", "network": ["x"], "txid": ETX_CONFIRMED},
    ],
)
def test_api_bad_input_is_400(client, eth, data):
    response = client.post(API, data, content_type="application/json")
    assert response.status_code == 400


def test_api_malformed_json_is_400(client, eth):
    assert client.post(API, "{nope", content_type="application/json").status_code == 400


def test_network_settings_are_editable_by_senior_agents(client, settings, btc):
    from support_portal.accounts.roles import Role
    from tests.factories import StaffFactory

    settings.STAFF_MFA_REQUIRED = False
    client.force_login(StaffFactory(role=Role.SENIOR_AGENT))
    url = reverse("admin:selfservice_chainnetwork_change", args=[btc.pk])
    assert client.get(url).status_code == 200
    assert ChainNetwork.objects.get(code="BTC").required_confirmations == 2
