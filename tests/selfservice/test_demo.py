"""The self-service demo: idempotent, consistent with the replay server's recordings."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from selfservice import clients, demo
from selfservice.models import (
    Answer,
    ChainNetwork,
    IntegrationEvent,
    KycChange,
    KycLevel,
    OfficialChannel,
    SecuritySnapshot,
    SignIn,
    Step,
    Tree,
)
from selfservice.replay import ReplayServer, load_recordings
from selfservice.selectors import (
    Verdict,
    channel_verify,
    deposit_trace,
    kyc_status_for,
    security_checklist_for,
)
from support_portal.accounts import demo as accounts_demo
from support_portal.accounts.models import User

pytestmark = pytest.mark.django_db

RECORDINGS = Path(demo.__file__).parent / "recordings"
MODELS = [
    Answer,
    ChainNetwork,
    IntegrationEvent,
    KycChange,
    KycLevel,
    OfficialChannel,
    SecuritySnapshot,
    SignIn,
    Step,
    Tree,
]


@pytest.fixture
def demo_output():
    """The accounts and self-service parts of the demo (the whole command is slower)."""
    accounts_demo.load()
    out = io.StringIO()
    demo.load(stdout=out)
    return out.getvalue()


def test_demo_command_runs_twice_without_duplicates():
    call_command("demo", stdout=io.StringIO())
    counts = {m.__name__: m.objects.count() for m in MODELS}
    call_command("demo", stdout=io.StringIO())
    assert {m.__name__: m.objects.count() for m in MODELS} == counts
    assert counts["Tree"] == 6 and all(counts.values())


def test_demo_prints_two_sample_txids(demo_output):
    assert demo.BTC_ON_ITS_WAY in demo_output and demo.BTC_CONFIRMED in demo_output


def test_alice_kyc_and_security(demo_output):
    alice = User.objects.get(email="alice@example.com")
    levels = {lvl.level: lvl for lvl in kyc_status_for(user=alice).levels}
    assert levels[1].status == "approved"
    assert levels[2].status == "needs_more_information"
    assert [r.code for r in levels[2].reasons] == ["POA_TOO_OLD"]
    assert levels[3].status == "not_started"
    checklist = security_checklist_for(user=alice, current_session_key=None)
    items = {i.key: i.status for i in checklist.items}
    assert items["withdrawal_whitelist"] != "ok" and items["api_keys"] != "ok"
    assert [s.is_unusual for s in alice.sign_ins.all()].count(True) == 1


def test_bob_is_approved_and_secure(demo_output):
    bob = User.objects.get(email="bob@example.com")
    assert {lvl.status for lvl in kyc_status_for(user=bob).levels} == {"approved"}
    checklist = security_checklist_for(user=bob, current_session_key=None)
    items = {i.key: i.status for i in checklist.items}
    assert items["withdrawal_whitelist"] == "ok" and items["api_keys"] == "ok"
    assert not any(s.is_unusual for s in bob.sign_ins.all())


def test_registry_matches_the_footer_channels(demo_output, settings):
    for value in settings.OFFICIAL_CHANNELS.values():
        assert channel_verify(value=value).official, value


def test_demo_transactions_match_the_recordings(demo_output):
    with ReplayServer(load_recordings(RECORDINGS)) as server:
        for network in ChainNetwork.objects.exclude(provider="none"):
            network.provider_url = network.provider_url.replace("http://127.0.0.1:8765", server.url)
            network.save(update_fields=["provider_url"])
        btc = ChainNetwork.objects.get(code="BTC")
        eth = ChainNetwork.objects.get(code="ETH")
        assert deposit_trace(network=btc, txid=demo.BTC_ON_ITS_WAY).verdict == Verdict.ON_ITS_WAY
        trace = deposit_trace(network=btc, txid=demo.BTC_CONFIRMED, address=demo.BTC_ADDRESS)
        assert trace.verdict == Verdict.CONFIRMED
        assert deposit_trace(network=eth, txid=demo.ETH_ON_ITS_WAY).verdict == Verdict.ON_ITS_WAY
        assert deposit_trace(network=eth, txid=demo.ETH_CONFIRMED).verdict == Verdict.CONFIRMED


@pytest.mark.parametrize("code", ["TRON", "SOL"])
def test_networks_without_a_client_are_honestly_unavailable(demo_output, code):
    network = ChainNetwork.objects.get(code=code)
    txid = "a" * 64 if code == "TRON" else "5" * 88
    assert deposit_trace(network=network, txid=txid).verdict == Verdict.UNAVAILABLE


def test_every_tree_answer_has_one_valid_target(demo_output):
    for answer in Answer.objects.select_related("step", "next_step"):
        answer.full_clean()
        if answer.next_step_id:
            assert answer.next_step.tree_id == answer.step.tree_id
    assert set(Tree.objects.values_list("language", flat=True)) == {"en", "zh-hans"}


def test_replay_server_acknowledges_exchange_webhooks():
    with ReplayServer(load_recordings(RECORDINGS)) as server:
        result = clients.exchange_event_post(
            url=f"{server.url}/exchange/events",
            body=b'{"type": "account.freeze_requested"}',
            headers={},
            timeout=5,
        )
    assert result.status == 200 and not result.error
