"""Demo data for the self-service tools; the ``demo`` command calls load().

The exchange's side is played through the same signed-event service the
integration API uses (stable event IDs make it idempotent). Chain providers
point at the built-in replay server (``chain_replay_server``) that ``make run``
starts; TRON and Solana have no client, so the tracer says "provider
unavailable" for them, honestly. Safe to run again.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from support_portal.accounts.models import User

from .demo_trees import TREES
from .models import Answer, ChainNetwork, OfficialChannel, SignIn, Step, Tree
from .services import integration_event_receive, sign_in_record

# Transactions in selfservice/recordings, printed so a person can try the tracer.
BTC_ON_ITS_WAY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100"
BTC_CONFIRMED = "3a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0"
BTC_ADDRESS = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
ETH_ON_ITS_WAY = "0x7d1f0a9e3b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
ETH_CONFIRMED = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"

ALICE, BOB = "40817352", "51290467"


def _networks() -> list[dict]:
    replay = settings.CHAIN_REPLAY_URL.rstrip("/")
    return [
        {
            "code": "BTC",
            "name": "Bitcoin",
            "coins": "BTC",
            "txid_format": ChainNetwork.TxidFormat.BTC,
            "required_confirmations": 2,
            "block_time_seconds": 600,
            "provider": ChainNetwork.Provider.ESPLORA,
            "provider_url": f"{replay}/btc-esplora",
        },
        {
            "code": "ETH",
            "name": "Ethereum (ERC-20)",
            "coins": "ETH,USDT,USDC",
            "txid_format": ChainNetwork.TxidFormat.EVM,
            "required_confirmations": 64,
            "block_time_seconds": 12,
            "provider": ChainNetwork.Provider.EVM_RPC,
            "provider_url": f"{replay}/eth-rpc",
        },
        {
            "code": "TRON",
            "name": "TRON (TRC-20)",
            "coins": "TRX,USDT",
            "txid_format": ChainNetwork.TxidFormat.TRON,
            "required_confirmations": 19,
            "block_time_seconds": 3,
            "provider": ChainNetwork.Provider.NONE,
            "provider_url": "",
        },
        {
            "code": "SOL",
            "name": "Solana",
            "coins": "SOL,USDC",
            "txid_format": ChainNetwork.TxidFormat.SOL,
            "required_confirmations": 32,
            "block_time_seconds": 1,
            "provider": ChainNetwork.Provider.NONE,
            "provider_url": "",
        },
    ]


def _event(event_id: str, type: str, days_ago: float, data: dict) -> None:
    integration_event_receive(
        event_id=f"demo-{event_id}",
        type=type,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
        data=data,
    )


def _exchange_events() -> None:
    now = timezone.now()
    kyc = "kyc.updated"
    _event("kyc-alice-1a", kyc, 60, {"uid": ALICE, "level": 1, "status": "pending_review"})
    _event("kyc-alice-1b", kyc, 59, {"uid": ALICE, "level": 1, "status": "approved"})
    _event(
        "kyc-alice-2a",
        kyc,
        4,
        {"uid": ALICE, "level": 2, "status": "pending_review", "estimated_review_hours": 48},
    )
    _event(
        "kyc-alice-2b",
        kyc,
        2,
        {
            "uid": ALICE,
            "level": 2,
            "status": "needs_more_information",
            "reason_codes": ["POA_TOO_OLD"],
            "estimated_review_hours": 24,
        },
    )
    for level, days in ((1, 200), (2, 190), (3, 180)):
        _event(f"kyc-bob-{level}", kyc, days, {"uid": BOB, "level": level, "status": "approved"})
    _event(
        "security-alice",
        "security.snapshot",
        1,
        {
            "uid": ALICE,
            "withdrawal_whitelist_enabled": False,
            "anti_phishing_code_set": False,
            "api_keys": [
                {
                    "label": "old trading bot",
                    "scopes": ["read", "trade", "withdraw"],
                    "last_used_at": now - datetime.timedelta(days=120),
                }
            ],
        },
    )
    _event(
        "security-bob",
        "security.snapshot",
        1,
        {
            "uid": BOB,
            "withdrawal_whitelist_enabled": True,
            "anti_phishing_code_set": True,
            "api_keys": [
                {
                    "label": "portfolio tracker",
                    "scopes": ["read"],
                    "last_used_at": now - datetime.timedelta(days=2),
                }
            ],
        },
    )


FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
# (user, documentation-range IP, user agent, days ago); alice's last-but-one is
# the unusual one: a new network and a new browser.
SIGN_INS = [
    ("alice@example.com", "203.0.113.24", FIREFOX, 30),
    ("alice@example.com", "203.0.113.24", FIREFOX, 21),
    ("alice@example.com", "203.0.113.31", FIREFOX, 12),
    ("alice@example.com", "203.0.113.24", FIREFOX, 5),
    ("alice@example.com", "198.51.100.77", CHROME_WINDOWS, 3),
    ("alice@example.com", "203.0.113.24", FIREFOX, 1),
    ("bob@example.com", "192.0.2.10", SAFARI_IPHONE, 20),
    ("bob@example.com", "192.0.2.10", SAFARI_IPHONE, 10),
    ("bob@example.com", "192.0.2.10", SAFARI_IPHONE, 2),
]


def _sign_ins(users: dict[str, User]) -> None:
    for email in {row[0] for row in SIGN_INS}:
        if SignIn.objects.filter(user=users[email]).exists():
            continue  # history is recorded once; re-running must not add sign-ins
        for row_email, ip, agent, days in SIGN_INS:
            if row_email == email:
                sign_in_record(
                    user=users[email],
                    ip=ip,
                    user_agent=agent,
                    at=timezone.now() - datetime.timedelta(days=days),
                )


def _official_channels() -> None:
    notes = {
        "website": "The only website; the app links here too.",
        "email": "Support replies come only from this address.",
        "telegram": "Announcements channel; admins never message you first.",
        "x": "Announcements; support never asks for details by direct message.",
    }
    for kind, value in settings.OFFICIAL_CHANNELS.items():
        OfficialChannel.objects.update_or_create(
            kind=kind, value=value, defaults={"note": notes.get(kind, "")}
        )


def _answer_defaults(answer: dict, steps: dict[str, Step], language: str) -> dict:
    return {
        "label": answer[language],
        "next_step": steps[answer["next"]] if "next" in answer else None,
        "article_slug": answer.get("article", ""),
        "tool": answer.get("tool", ""),
        "ticket_category": answer.get("ticket", ""),
        "ticket_params": answer.get("params", {}),
    }


def _trees() -> int:
    """Create or refresh each tree; steps and answers keep their IDs (by position)."""
    count = 0
    for spec in TREES:
        for language in ("en", "zh-hans"):
            title, summary = spec[language]
            tree, _ = Tree.objects.update_or_create(
                translation_key=spec["key"],
                language=language,
                defaults={
                    "slug": spec["slug"],
                    "title": title,
                    "summary": summary,
                    "position": spec["position"],
                    "is_published": True,
                },
            )
            steps: dict[str, Step] = {}
            for position, step_spec in enumerate(spec["steps"], start=1):
                question, explanation = step_spec[language]
                steps[step_spec["key"]], _ = Step.objects.update_or_create(
                    tree=tree,
                    position=position,
                    defaults={"question": question, "explanation": explanation},
                )
            tree.steps.exclude(pk__in=[s.pk for s in steps.values()]).delete()
            for step_spec in spec["steps"]:
                step = steps[step_spec["key"]]
                kept = []
                for position, answer in enumerate(step_spec["answers"], start=1):
                    row, _ = Answer.objects.update_or_create(
                        step=step,
                        position=position,
                        defaults=_answer_defaults(answer, steps, language),
                    )
                    kept.append(row.pk)
                step.answers.exclude(pk__in=kept).delete()
            count += 1
    return count


@transaction.atomic
def load(*, stdout) -> None:
    for data in _networks():
        ChainNetwork.objects.update_or_create(code=data["code"], defaults=data)
    users = {u.email: u for u in User.objects.filter(email__in=[r[0] for r in SIGN_INS])}
    if len(users) == 2:
        _exchange_events()
        _sign_ins(users)
    _official_channels()
    trees = _trees()
    stdout.write(
        f"Self-service: KYC, security snapshots and sign-ins for alice and bob, "
        f"{OfficialChannel.objects.count()} official channels, "
        f"{ChainNetwork.objects.count()} networks, {trees // 2} troubleshooters (en, zh-hans)."
    )
    stdout.write(f"  Deposit tracer (replay server at {settings.CHAIN_REPLAY_URL}):")
    stdout.write(f"    BTC on its way:                {BTC_ON_ITS_WAY}")
    stdout.write(f"    BTC confirmed but not credited: {BTC_CONFIRMED}")
    stdout.write(f"    (deposit address {BTC_ADDRESS})")
