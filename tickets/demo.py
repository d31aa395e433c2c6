# ruff: noqa: RUF001 (Chinese text uses full-width punctuation on purpose)
"""Demo data for tickets: teams, SLAs, rules, a 24-hour rota, canned replies
and about 60 tickets for alice@ and bob@ across categories, statuses,
languages and channels. Safe to run again: set-up rows are updated, and the
tickets are only created once.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from support_portal.accounts.models import User

from .models import CannedReply, PriorityRule, Shift, SLAPolicy, Team, Ticket
from .services import (
    CATEGORY_TEAMS,
    ticket_acknowledge,
    ticket_assign,
    ticket_change_status,
    ticket_open,
    ticket_reply_as_agent,
    ticket_reply_as_requester,
    tickets_sla_check,
)

P = Ticket.Priority
DEMO_TICKETS = 60

SLA = {
    P.URGENT: (30, 60, 240),
    P.HIGH: (60, 240, 1440),
    P.NORMAL: (240, 480, 2880),
    P.LOW: (480, 1440, 7200),
}
RULES = [
    ("Account compromised is urgent", "account_compromised", None, P.URGENT),
    ("Withdrawals of 10,000 or more are high", "withdrawal", 10000, P.HIGH),
    ("Deposits of 10,000 or more are high", "deposit", 10000, P.HIGH),
]
CANNED = [
    (
        "en",
        "Deposit being checked",
        "Hi {name},\n\nThanks for reference {reference}. We are "
        "checking your deposit with our wallet team and will update you shortly.\n\n{agent}",
    ),
    (
        "en",
        "Need more confirmations",
        "Hi {name},\n\nYour deposit is waiting for more network "
        "confirmations. It will be credited automatically.\n\n{agent}",
    ),
    (
        "en",
        "Never share secrets",
        "Hi {name},\n\nSupport will never ask for your password, 2FA "
        "codes, private keys or seed phrase. Please do not share them with anyone.\n\n{agent}",
    ),
    (
        "zh-hans",
        "充值核查中",
        "{name} 您好，\n\n关于工单 {reference}，我们正在与钱包团队核查您的充值，"
        "稍后会给您回复。\n\n{agent}",
    ),
    (
        "zh-hans",
        "需要更多确认",
        "{name} 您好，\n\n您的充值正在等待更多网络确认，确认完成后会自动到账。\n\n{agent}",
    ),
    (
        "zh-hans",
        "切勿泄露机密",
        "{name} 您好，\n\n客服绝不会索要您的密码、2FA 验证码、私钥或助记词，"
        "请勿向任何人透露。\n\n{agent}",
    ),
]
# (e-mail, languages, shift start hour UTC): three 8-hour shifts cover 24 hours.
ROTA = [
    ("agent@example.com", ["en"], 0),
    ("agent.zh@example.com", ["zh-hans", "en"], 8),
    ("supervisor@example.com", ["en", "zh-hans"], 16),
]
SUBJECTS = {
    "deposit": ("USDT deposit not credited", "USDT 充值未到账"),
    "withdrawal": ("Withdrawal stuck in processing", "提现一直在处理中"),
    "account_compromised": ("Someone logged into my account", "账户被盗"),
    "kyc": ("Verification rejected", "身份认证被拒绝"),
    "trading": ("Liquidated at a wrong price", "强平价格不对"),
    "balance": ("Balance is lower than expected", "余额显示不正确"),
    "api": ("API returns 401", "API 返回 401"),
    "other": ("Question about fees", "关于手续费的问题"),
}


def _intake(category: str, rnd: random.Random, big: bool) -> dict:
    amount = str(rnd.choice([25000, 12000]) if big else rnd.choice([0.05, 120, 950, 3000]))
    when = (timezone.now() - datetime.timedelta(hours=rnd.randint(2, 72))).isoformat()
    if category == "deposit":
        network = rnd.choice(["BTC", "ETH", "TRON"])
        txid = f"{rnd.getrandbits(256):064x}"
        txid = "0x" + txid if network == "ETH" else txid
        address = {
            "BTC": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "ETH": f"0x{rnd.getrandbits(160):040x}",
            "TRON": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        }[network]
        coin = "BTC" if network == "BTC" else "USDT"
        return {
            "coin": coin,
            "network": network,
            "txid": txid,
            "amount": amount,
            "address": address,
            "time": when,
        }
    if category == "withdrawal":
        return {
            "coin": "USDT",
            "network": "TRON",
            "withdrawal_id": f"W{rnd.randint(10**8, 10**9)}",
            "amount": amount,
            "time": when,
        }
    if category == "account_compromised":
        return {
            "what_happened": "Unknown login and a withdrawal I did not make.",
            "last_legitimate_login": when,
        }
    if category == "trading":
        return {
            "order_id": str(rnd.randint(10**9, 10**10)),
            "instrument": "BTCUSDT-PERP",
            "time": when,
            "expected": "The liquidation price shown was lower.",
        }
    if category == "balance":
        return {"asset": "ETH", "expected_balance": "2.5", "shown_balance": "1.5", "time": when}
    if category == "api":
        return {"key_label": "bot-1", "endpoint": "/api/v3/order", "error_message": "401"}
    return {}


def _png(text: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 120), (245, 247, 250))
    ImageDraw.Draw(image).text((10, 50), text, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("screenshot.png", out.getvalue(), "image/png")


@transaction.atomic
def load(*, stdout) -> None:
    for priority, (first, nxt, resolution) in SLA.items():
        SLAPolicy.objects.update_or_create(
            priority=priority,
            defaults={
                "first_response_minutes": first,
                "next_response_minutes": nxt,
                "resolution_minutes": resolution,
            },
        )
    for name, category, amount, priority in RULES:
        PriorityRule.objects.update_or_create(
            name=name, defaults={"category": category, "min_amount": amount, "priority": priority}
        )
    for language, title, body in CANNED:
        CannedReply.objects.update_or_create(
            language=language, title=title, defaults={"body": body, "is_active": True}
        )
    teams = {}
    for slug, name in set(CATEGORY_TEAMS.values()):
        teams[slug], _ = Team.objects.update_or_create(slug=slug, defaults={"name": name})

    staff = {u.email: u for u in User.objects.filter(email__in=[r[0] for r in ROTA])}
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    Shift.objects.filter(agent__in=staff.values()).delete()
    for email, languages, hour in ROTA:
        if email not in staff:
            continue
        for day in (-1, 0, 1, 2):
            start = today + datetime.timedelta(days=day, hours=hour)
            for team in teams.values():
                Shift.objects.create(
                    agent=staff[email],
                    team=team,
                    start=start,
                    end=start + datetime.timedelta(hours=8),
                    languages=languages,
                    capacity=25,
                )

    customers = list(User.objects.filter(email__in=["alice@example.com", "bob@example.com"]))
    if not customers or Ticket.objects.filter(requester__in=customers).count() >= DEMO_TICKETS:
        stdout.write(f"Tickets: set-up refreshed, {len(staff)} agents on the rota.")
        return
    rnd = random.Random(4)  # noqa: S311 (demo data, not security)
    categories = list(Ticket.Category.values)
    channels = list(Ticket.Channel.values)
    agents = list(staff.values())
    for i in range(DEMO_TICKETS):
        customer = customers[i % len(customers)]
        category = categories[i % len(categories)]
        zh = customer.preferred_language == "zh-hans"
        subject = SUBJECTS[category][1 if zh else 0]
        body = "请帮我查看一下，谢谢。" if zh else "Please look into this, thank you."
        ticket = ticket_open(
            requester=customer,
            subject=f"{subject} #{i + 1}",
            body=body,
            category=category,
            intake=_intake(category, rnd, big=i % 9 == 0),
            language=customer.preferred_language or "en",
            channel=channels[i % len(channels)],
            attachments=[_png(f"Demo screenshot {i + 1}")] if i % 5 == 0 else [],
            created_by=agents[0]
            if channels[i % len(channels)] in ("phone", "social") and agents
            else None,
        )
        # Now, not from the queue: the demo thread reads in order, the
        # acknowledgement before the agents' replies (the queued run finds it done).
        ticket_acknowledge(ticket_id=ticket.pk, assignee_id=ticket.assignee_id)
        agent = ticket.assignee or (agents[i % len(agents)] if agents else None)
        if agent is None:
            continue
        if ticket.assignee is None and i % 7:
            ticket_assign(ticket=ticket, actor=agent, assignee=agent)
        stage = i % 6
        if stage >= 1:
            ticket_reply_as_agent(
                ticket=ticket,
                agent=agent,
                body="正在核查，请稍候。" if zh else "We are checking this for you.",
            )
            ticket_reply_as_agent(
                ticket=ticket, agent=agent, internal=True, body="Internal: checked the wallet logs."
            )
        if stage >= 2:
            ticket_reply_as_requester(
                ticket=ticket, user=customer, body="好的，谢谢。" if zh else "Thanks, waiting."
            )
        if stage == 3:
            ticket_change_status(
                ticket=ticket, actor=agent, status=Ticket.Status.ON_HOLD, notify=False
            )
        if stage >= 4:
            ticket_change_status(
                ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED, notify=False
            )
        if stage == 5:
            ticket_change_status(
                ticket=ticket, actor=agent, status=Ticket.Status.CLOSED, notify=False
            )
    # Age a few open tickets past their targets so the console shows breaches.
    past = timezone.now() - datetime.timedelta(hours=2)
    stale = Ticket.objects.open().filter(requester__in=customers, first_responded_at__isnull=True)
    Ticket.objects.filter(pk__in=list(stale.values_list("pk", flat=True)[:6])).update(
        first_response_due=past
    )
    breached = tickets_sla_check()
    stdout.write(f"Tickets: {DEMO_TICKETS} demo tickets, {breached} breaching their SLA.")
