"""Tickets benchmark: the agent console at scale and ticket creation through the API.

    .venv/bin/python -m bench.tickets_bench                    # 100k tickets
    .venv/bin/python -m bench.tickets_bench --tickets 5000     # a quick run
    .venv/bin/python -m bench.tickets_bench --database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB

It builds a scratch database (SQLite unless --database-url) of N tickets with
3 messages each, spread over a year, N/5 requesters, 40 agents on shift in the
six routing teams, then reports:
- the admin ticket changelist (plain and filtered) and change form: SQL queries
  per request and p50/p95 latency, in-process with the test client, logged in
  as a staff superuser (targets: ≤ 12 queries, p95 ≤ 100 ms);
- the same pages over HTTP under gunicorn (2 workers) with a session cookie;
- tickets accepted per second through POST /api/tickets/ (token auth; priority
  rules, routing, SLA), from a few client threads for a bounded time (target
  ≥ 50/s, 0 errors), with one `manage.py db_worker` beside gunicorn working the
  database task queue: each ticket's acknowledgement (article suggestions,
  system message, e-mails to the requester and the assignee) is a task queued
  after the commit. Reported: whether the worker kept up (acknowledged and
  e-mailed by the end of the load, queue backlog) and how long it took to
  drain the rest (bounded by --drain-seconds);
- a bare Django view on the same server as the floor.

Everything runs on 127.0.0.1; every loop is bounded in requests and seconds.
E-mail goes to the dummy backend; tasks go to the database queue
(TASK_QUEUE_URL=database://, bench/harness.py), as in the embedded deployment.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.harness import (
    ROOT,
    db_worker,
    gunicorn,
    load,
    percentile,
    scratch_dir,
    scratch_env,
    summarise_ms,
)

ADMIN_EMAIL = "bench-admin@example.com"
AGENTS = 40
API_CLIENTS = 8
QUERY_TARGET = 12
P95_TARGET = 0.100
CREATE_TARGET = 50.0

SUBJECTS = [
    "Deposit not credited after {n} confirmations",
    "Withdrawal stuck in review",
    "Cannot pass identity verification level {n}",
    "Liquidated at a price that never traded",
    "Balance shows less than expected",
    "API key returns error {n}",
    "Account locked after password reset",
    "Question about fees on order {n}",
]
BODY = (
    "Hello, I sent {coin} on the {network} network about {n} hours ago and it is "
    "still not in my account. The explorer shows it confirmed. Please check."
)


# ---------------------------------------------------------------------------
# Child: runs with DJANGO_SETTINGS_MODULE=bench.settings against the scratch DB
# ---------------------------------------------------------------------------
def _deposit_intake(rng: random.Random) -> dict:
    return {
        "coin": "btc",
        "network": "BTC",
        "txid": "".join(rng.choice("0123456789abcdef") for _ in range(64)),
        "amount": str(rng.choice(["0.05", "0.5", "2", "15000"])),
        "address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "time": "2025-01-31T14:05:00Z",
    }


def build(size: int, seed: int = 11) -> dict:
    """Create the scratch data set; returns what the parent needs to drive load."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from knowledge.models import Article, Category
    from support_portal.accounts.models import User
    from support_portal.accounts.roles import Role
    from tickets.models import CannedReply, Message, PriorityRule, Shift, Team, Ticket
    from tickets.services import CATEGORY_TEAMS

    started = time.perf_counter()
    unusable = make_password(None)
    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    now = timezone.now()

    # Rows are back-dated over a year: switch the auto timestamps off in this
    # process only, so bulk_create keeps the values we give.
    for model, names in ((Ticket, ("created_at", "updated_at")), (Message, ("created_at",))):
        for name in names:
            field = model._meta.get_field(name)
            field.auto_now = field.auto_now_add = False

    teams = {}
    for slug, name in sorted(set(CATEGORY_TEAMS.values())):
        teams[slug], _ = Team.objects.get_or_create(slug=slug, defaults={"name": name})
    team_for = {category: teams[slug] for category, (slug, _name) in CATEGORY_TEAMS.items()}

    User.objects.create_superuser(email=ADMIN_EMAIL, password=None)  # force_login only
    agent_group = Group.objects.get(name=Role.AGENT.value)
    agents = User.objects.bulk_create(
        [
            User(
                email=f"agent{i}@support.example.com",
                name=f"Agent {i}",
                is_staff=True,
                password=unusable,
                preferred_language="en",
            )
            for i in range(AGENTS)
        ]
    )
    agent_group.user_set.add(*agents)
    team_list = list(teams.values())
    agents_by_team: dict[int, list] = {t.pk: [] for t in team_list}
    shifts = []
    for i, agent in enumerate(agents):
        # Everyone covers two teams; capacity is high enough that routing
        # always finds someone, so every create also notifies an assignee.
        for team in (team_list[i % len(team_list)], team_list[(i + 1) % len(team_list)]):
            agents_by_team[team.pk].append(agent)
            shifts.append(
                Shift(
                    agent=agent,
                    team=team,
                    start=now - datetime.timedelta(days=1),
                    end=now + datetime.timedelta(days=2),
                    languages=["en", "zh-hans"],
                    capacity=30000,
                )
            )
    Shift.objects.bulk_create(shifts)

    requesters = User.objects.bulk_create(
        [
            User(
                email=f"customer{i}@mail.example.com",
                name=f"Customer {i}",
                exchange_uid=str(20000000 + i),
                password=unusable,
                preferred_language="zh-hans" if i % 3 == 0 else "en",
            )
            for i in range(max(size // 5, API_CLIENTS))
        ],
        batch_size=5000,
    )
    PriorityRule.objects.bulk_create(
        [
            PriorityRule(
                name="Large deposit",
                category=Ticket.Category.DEPOSIT,
                min_amount=10000,
                priority=Ticket.Priority.HIGH,
            ),
            PriorityRule(
                name="Compromised account",
                category=Ticket.Category.ACCOUNT_COMPROMISED,
                priority=Ticket.Priority.URGENT,
            ),
        ]
    )
    CannedReply.objects.bulk_create(
        [
            CannedReply(title=f"Answer {i}", language=lang, body="Hi {name}, about {reference}.")
            for i in range(8)
            for lang in ("en", "zh-hans")
        ]
    )
    category = Category.objects.create(slug="bench-help", order=1, names={"en": "Help"})
    Article.objects.bulk_create(
        [
            Article(
                category=category,
                language="en",
                title=f"Why is my {coin} deposit not credited ({i})",
                slug=f"bench-deposit-{i}",
                summary="Deposits need network confirmations before they are credited.",
                body="## Deposits\n\nCheck the network, the address, the memo and the "
                f"confirmations for your {coin} deposit.",
                status=Article.Status.PUBLISHED,
                published_at=now,
            )
            for i, coin in enumerate(["bitcoin", "ether", "tron", "solana", "usdt"] * 20)
        ]
    )
    call_command("rebuild_index", interactive=False, verbosity=0)

    # --- tickets and messages ---------------------------------------------------
    S = Ticket.Status
    statuses = [S.CLOSED] * 55 + [S.RESOLVED] * 25 + [S.PENDING_CUSTOMER] * 8
    statuses += [S.OPEN] * 7 + [S.NEW] * 4 + [S.ON_HOLD] * 1
    categories = list(Ticket.Category.values)
    year = 365 * 24 * 3600
    batch_size = 5000
    for start in range(0, size, batch_size):
        tickets = []
        for n in range(start, min(size, start + batch_size)):
            created = now - datetime.timedelta(seconds=year * (1 - n / size) + 60)
            status = rng.choice(statuses)
            cat = rng.choice(categories)
            team = team_for[cat]
            assignee = None if status == S.NEW else rng.choice(agents_by_team[team.pk])
            requester = requesters[rng.randrange(len(requesters))]
            done = status in (S.RESOLVED, S.CLOSED)
            tickets.append(
                Ticket(
                    requester=requester,
                    subject=rng.choice(SUBJECTS).format(n=n % 97),
                    status=status,
                    priority=rng.choice(Ticket.Priority.values),
                    language=requester.preferred_language,
                    category=cat,
                    intake=_deposit_intake(rng) if cat == Ticket.Category.DEPOSIT else {},
                    team=team,
                    assignee=assignee,
                    channel=rng.choice(Ticket.Channel.values),
                    first_response_due=created + datetime.timedelta(hours=4),
                    resolution_due=created + datetime.timedelta(days=2),
                    first_responded_at=None
                    if status == S.NEW
                    else created + datetime.timedelta(hours=1),
                    resolved_at=created + datetime.timedelta(days=1) if done else None,
                    closed_at=created + datetime.timedelta(days=3) if status == S.CLOSED else None,
                    resolution_count=1 if done else 0,
                    created_at=created,
                    updated_at=created + datetime.timedelta(hours=1),
                )
            )
        Ticket.objects.bulk_create(tickets)
        # SQLite and PostgreSQL both return the new primary keys.
        messages = []
        for ticket in tickets:
            author = ticket.assignee or agents[0]
            body = BODY.format(coin="BTC", network="Bitcoin", n=ticket.pk % 24)
            messages += [
                Message(
                    ticket=ticket,
                    author=ticket.requester,
                    body=body,
                    created_at=ticket.created_at,
                ),
                Message(
                    ticket=ticket,
                    kind=Message.Kind.SYSTEM,
                    body="We have received your request.",
                    created_at=ticket.created_at + datetime.timedelta(seconds=1),
                ),
                Message(
                    ticket=ticket,
                    author=author,
                    body="Thanks, we are checking this with the wallet team.",
                    created_at=ticket.created_at + datetime.timedelta(hours=1),
                ),
            ]
        Message.objects.bulk_create(messages, batch_size=batch_size)

    tokens = [Token.objects.create(user=u).key for u in requesters[:API_CLIENTS]]
    pks = list(Ticket.objects.values_list("pk", flat=True))
    sample = rng.sample(pks, min(200, len(pks)))
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum would have done to a live table by now (some
            # servers, this one included, run with it off): the visibility map
            # lets COUNT(*) read an index instead of every heap page.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")  # fresh statistics, as a live database would have
    return {
        "build_seconds": time.perf_counter() - started,
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "requesters": len(requesters),
        "agents": AGENTS,
        "teams": len(teams),
        "tokens": tokens,
        "sample_tickets": sample,
        "max_pk": max(pks),
    }


def measure_admin(data: dict, requests: int) -> dict:
    """In-process: queries and latency of the console pages, test client, superuser."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from support_portal.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(email=ADMIN_EMAIL))
    changelist = reverse("admin:tickets_ticket_changelist")
    pages = {
        "changelist": lambda i: changelist,
        "changelist ?status=open": lambda i: f"{changelist}?status__exact=open",
        "changelist page 100": lambda i: f"{changelist}?p=100",
        "change form": lambda i: reverse(
            "admin:tickets_ticket_change",
            args=[data["sample_tickets"][i % len(data["sample_tickets"])]],
        ),
    }
    results = {}
    for name, url_for in pages.items():
        for i in range(3):  # warm caches, templates, the session row
            assert client.get(url_for(i)).status_code == 200, name
        counts = []
        for i in range(5):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url_for(i))
            assert response.status_code == 200, (name, response.status_code)
            counts.append(len(ctx.captured_queries))
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
        times = []
        for i in range(requests):
            t0 = time.perf_counter()
            response = client.get(url_for(i))
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (name, response.status_code)
        results[name] = {
            "queries": max(counts),
            "times": times,
            "slowest_sql": [f"{q['time']}s {q['sql'][:160]}" for q in slowest],
        }
    return {"admin": results, "session": client.cookies["sessionid"].value}


def verify_created(after_pk: int) -> dict:
    """What the API run produced: routed, acknowledged, notified; the task queue."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tickets.models import Message, Notification, Ticket

    created = Ticket.objects.filter(pk__gt=after_pk)
    tasks = DBTaskResult.objects.values_list("status", flat=True)
    return {
        "created": created.count(),
        "routed": created.filter(assignee__isnull=False).count(),
        "acknowledged": created.filter(acknowledged_at__isnull=False).count(),
        "ack_messages": Message.objects.filter(
            ticket__pk__gt=after_pk, kind=Message.Kind.SYSTEM
        ).count(),
        "backlog": tasks.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).count(),
        "failed_tasks": tasks.filter(status=TaskResultStatus.FAILED).count(),
        "notifications": Notification.objects.filter(ticket__pk__gt=after_pk).count(),
        "sent": Notification.objects.filter(
            ticket__pk__gt=after_pk, status=Notification.Status.SENT
        ).count(),
    }


def child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    if args.child == "build":
        data = build(args.tickets)
        if args.skip_admin:
            data.update(admin={}, session="")
        else:
            data.update(measure_admin(data, args.requests))
    else:
        data = verify_created(int(args.after))
    print(json.dumps(data))


# ---------------------------------------------------------------------------
# Parent: orchestrates the child, gunicorn and the load
# ---------------------------------------------------------------------------
def create_load(
    port: int, tokens: list[str], *, concurrency: int, seconds: float, max_requests: int
) -> dict:
    """POST /api/tickets/ from `concurrency` threads, one token each, bounded."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    count = 0
    lock = threading.Lock()

    def payload(rng: random.Random, n: int) -> bytes:
        if n % 2:
            body = {
                "category": "deposit",
                "subject": f"Deposit not credited {n}",
                "body": BODY.format(coin="BTC", network="Bitcoin", n=n % 24),
                "intake": _deposit_intake(rng),
            }
        else:
            body = {
                "category": "other",
                "subject": f"Question about my account {n}",
                "body": "How do I change the e-mail address on my account? Thanks.",
            }
        return json.dumps(body).encode()

    def worker(index: int) -> None:
        nonlocal count
        rng = random.Random(index)
        headers = {
            "Authorization": f"Token {tokens[index % len(tokens)]}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if count >= max_requests:
                    break
                count += 1
                n = count
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/tickets/", body=payload(rng, n), headers=headers)
                response = conn.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    stop_at = time.monotonic() + seconds
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    created = statuses.get("201", 0)
    return {
        "created": created,
        "errors": sum(v for k, v in statuses.items() if k != "201"),
        "statuses": statuses,
        "seconds": elapsed,
        "per_second": created / elapsed if elapsed else 0.0,
        "latencies": latencies,
    }


def _server_pids(port: int) -> list[int]:
    """gunicorn's master and workers serving `port` (Linux /proc; else none)."""
    pids = []
    bind = f"127.0.0.1:{port}".encode()
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            if b"gunicorn" in cmdline and bind in cmdline:
                pids.append(int(entry.name))
    return pids


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc; else 0)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.0


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def run(args: argparse.Namespace) -> None:
    with scratch_dir("tickets-bench-") as tmp:
        workdir = Path(tmp)
        env = scratch_env(workdir, database_url=args.database_url)
        env.update(
            STAFF_MFA_REQUIRED="0",
            EMAIL_URL="dummymail://",
            # Scratch environment only: the bench measures the service, not the limiter.
            RATE_LIMIT_TICKETS_CREATE_USER="1000000/min",
            RATE_LIMIT_TICKETS_CREATE_IP="1000000/min",
        )
        engine = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
        print(f"=== tickets bench: {args.tickets:,} tickets, 3 messages each, on {engine} ===")
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.tickets_bench",
                "--child",
                "build",
                "--tickets",
                str(args.tickets),
                "--requests",
                str(args.requests),
                *(["--skip-admin"] if args.skip_admin else []),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        data = json.loads(out.strip().splitlines()[-1])
        print(
            f"data: {data['tickets']:,} tickets, {data['messages']:,} messages, "
            f"{data['requesters']:,} requesters, {data['agents']} agents in "
            f"{data['teams']} teams; built in {data['build_seconds']:.0f} s"
        )

        if data["admin"]:
            print(f"\nadmin console, in-process test client ({args.requests} requests each):")
        for name, page in data["admin"].items():
            p95_ok = percentile(page["times"], 95) <= P95_TARGET
            q_ok = page["queries"] <= QUERY_TARGET
            print(
                f"  {name:<24} {page['queries']:3d} queries ({_verdict(q_ok)} ≤ {QUERY_TARGET})  "
                f"{summarise_ms(page['times'])}  p95 {_verdict(p95_ok)} ≤ 100 ms"
            )
            if args.verbose:
                for line in page["slowest_sql"]:
                    print(f"      {line}")

        cookie = {"Cookie": f"sessionid={data['session']}"}
        ticket = data["sample_tickets"][0]
        with gunicorn(env, workers=args.workers) as port:
            bare = load(port, "/__bench__/bare", concurrency=args.concurrency, seconds=args.seconds)
            http_pages = {
                "changelist": "/admin/tickets/ticket/",
                "change form": f"/admin/tickets/ticket/{ticket}/change/",
            }
            if args.skip_admin:
                http_pages = {}
            # One client at a time: latency without queueing behind other requests.
            serial = {
                name: load(
                    port,
                    path,
                    concurrency=1,
                    seconds=60,
                    max_requests=args.requests,
                    headers=cookie,
                )
                for name, path in http_pages.items()
            }
            loaded = {
                name: load(
                    port, path, concurrency=args.concurrency, seconds=args.seconds, headers=cookie
                )
                for name, path in http_pages.items()
            }

            def verify() -> dict:
                out = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.tickets_bench",
                        "--child",
                        "verify",
                        "--after",
                        str(data["max_pk"]),
                    ],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=120,
                ).stdout
                return json.loads(out.strip().splitlines()[-1])

            worker = contextlib.nullcontext() if args.no_worker else db_worker(env)
            with worker as worker_proc:
                watched = {"gunicorn": _server_pids(port)}
                if worker_proc is not None:
                    watched["db_worker"] = [worker_proc.pid]
                cpu_before = {name: _cpu_seconds(pids) for name, pids in watched.items()}
                load_before = os.getloadavg()[0]
                create = create_load(
                    port,
                    data["tokens"],
                    concurrency=args.concurrency,
                    seconds=args.seconds * 2,
                    max_requests=100_000,
                )
                load_ended = time.monotonic()
                cpu_used = {
                    name: _cpu_seconds(pids) - cpu_before[name] for name, pids in watched.items()
                }
                load_after = os.getloadavg()[0]
                at_end = verify()
                at_end["after_seconds"] = time.monotonic() - load_ended
                verified = at_end
                # Let the worker finish the backlog, for a bounded time.
                while (
                    verified["backlog"]
                    and not args.no_worker
                    and time.monotonic() - load_ended < args.drain_seconds
                ):
                    time.sleep(2)
                    verified = verify()
                drained_after = time.monotonic() - load_ended

        if serial:
            print("\nadmin console over HTTP, gunicorn 2 workers, logged-in session:")
        for name, result in serial.items():
            ok = percentile(result.latencies, 95) <= P95_TARGET
            print(
                f"  {name:<12} 1 client:  {summarise_ms(result.latencies)}  errors "
                f"{result.errors}  p95 {_verdict(ok)} ≤ 100 ms"
            )
        for name, result in loaded.items():
            print(f"  {name:<12} {args.concurrency} clients: {result.line()}")

        print(
            f"\nticket creation, POST /api/tickets/, {args.concurrency} client threads, "
            f"{create['seconds']:.0f} s:"
        )
        fast = create["per_second"] >= CREATE_TARGET
        print(
            f"  {create['per_second']:.1f} tickets/s ({_verdict(fast)}"
            f" ≥ {CREATE_TARGET:.0f}/s), {create['created']} created, errors {create['errors']} "
            f"{create['statuses'] if create['errors'] else ''}"
        )
        print(f"  latency {summarise_ms(create['latencies'])}")
        # CPU per ticket is what other work on the machine changes least;
        # tickets/s also depends on how much of the cores the load got. The
        # db_worker's figure includes its start-up, which overlaps the load.
        per_ticket = ", ".join(
            f"{name} {seconds / max(create['created'], 1) * 1000:.1f} ms "
            f"({seconds / create['seconds']:.2f} cores)"
            for name, seconds in cpu_used.items()
        )
        print(
            f"  CPU per ticket created: {per_ticket}; load average "
            f"{load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores"
        )
        print(
            f"  in the database: {verified['created']} new tickets, {verified['routed']} routed "
            f"to an agent"
        )
        kept_up = at_end["backlog"] <= max(10, create["per_second"])
        print(
            f"  db_worker at the end of the load (+{at_end['after_seconds']:.1f} s): "
            f"{at_end['acknowledged']}/{at_end['created']} acknowledged, "
            f"{at_end['sent']} e-mails sent, backlog {at_end['backlog']} tasks "
            f"({'kept up' if kept_up else 'FELL BEHIND'}: ≤ 1 s of creates queued)"
        )
        state = "drained" if not verified["backlog"] else "NOT drained"
        print(
            f"  db_worker {state} {drained_after:.0f} s after the load: "
            f"{verified['acknowledged']}/{verified['created']} acknowledged "
            f"({verified['ack_messages']} messages), {verified['sent']}/"
            f"{verified['notifications']} e-mails sent, backlog {verified['backlog']}, "
            f"failed tasks {verified['failed_tasks']}"
        )

        floor = bare.rps
        print(f"\nfloor, bare Django view, {args.concurrency} client threads:")
        print(f"  {bare.line()}")
        print("ratios to the floor:")
        print(f"  ticket creation  {create['per_second'] / floor:6.1%}" if floor else "")
        for name, result in loaded.items():
            print(f"  {name:<16} {result.rps / floor:6.1%}" if floor else "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100, help="per admin page")
    parser.add_argument("--seconds", type=float, default=8.0, help="per load run")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn workers (default one a core; on PostgreSQL, requests also wait on "
        "the server, and more workers than cores can use the wait)",
    )
    parser.add_argument(
        "--drain-seconds",
        type=float,
        default=120.0,
        help="how long the worker may take to finish the backlog after the create load",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="create without a db_worker (the requests' own cost; tasks stay queued)",
    )
    parser.add_argument(
        "--skip-admin",
        action="store_true",
        help="measure ticket creation only (and the floor), not the admin console",
    )
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    parser.add_argument("--verbose", action="store_true", help="show the slowest SQL")
    parser.add_argument("--child", choices=["build", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--after", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    os.chdir(ROOT)
    run(args)


if __name__ == "__main__":
    main()
