"""Every write to tickets goes through here: portal, API and admin alike."""

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db import IntegrityError, transaction
from django.db.models import F, Func, IntegerField, Model, OuterRef, Subquery
from django.db.models.expressions import Star
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from support_portal.accounts.models import User
from support_portal.accounts.roles import Role

from . import kb
from .acknowledgement import acknowledgement_text, duration_text
from .config import DEFAULT_SLA_MINUTES, priority_for, sla_minutes, team_for
from .intake import intake_amount, intake_clean
from .models import (
    Attachment,
    Deflection,
    IdempotencyKey,
    Message,
    Notification,
    Shift,
    Team,
    Ticket,
    TicketEvent,
    TicketRating,
)
from .notifications import notification_queue, notifications_queue_and_send, render_for
from .redaction import redact_secrets
from .uploads import attachments_clean

logger = logging.getLogger(__name__)

Status = Ticket.Status
Priority = Ticket.Priority

# The only status changes services allow; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {
        Status.OPEN,
        Status.PENDING_CUSTOMER,
        Status.ON_HOLD,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.OPEN: {Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED},
    Status.PENDING_CUSTOMER: {Status.OPEN, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED},
    Status.ON_HOLD: {Status.OPEN, Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}

# Category → (team slug, team name). Names are proper nouns of the org chart.
CATEGORY_TEAMS: dict[str, tuple[str, str]] = {
    Ticket.Category.DEPOSIT: ("deposits-withdrawals", "Deposits & Withdrawals"),
    Ticket.Category.WITHDRAWAL: ("deposits-withdrawals", "Deposits & Withdrawals"),
    Ticket.Category.BALANCE: ("deposits-withdrawals", "Deposits & Withdrawals"),
    Ticket.Category.ACCOUNT_COMPROMISED: ("account-security", "Account Security"),
    Ticket.Category.KYC: ("kyc", "KYC"),
    Ticket.Category.TRADING: ("trading", "Trading"),
    Ticket.Category.API: ("api", "API"),
    Ticket.Category.OTHER: ("general", "General"),
}
SECURITY_TEAM = ("account-security", "Account Security")

__all__ = ["DEFAULT_SLA_MINUTES"]  # re-exported: defined with the cached set-up
MAX_BODY = 10_000
CONFIRM_MAX_AGE = 60 * 60 * 24  # a day to click the confirmation link
_signer = TimestampSigner(salt="tickets.no-account-confirm")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _display(ticket: Ticket, field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field == "status":
        return str(Status(value).label)
    if field == "priority":
        return str(Priority(value).label)
    if field == "tags":
        return ", ".join(value)
    return str(value)[:200]


def _event(ticket: Ticket, actor: User | None, field: str, old, new) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        field=field,
        old_value=_display(ticket, field, old),
        new_value=_display(ticket, field, new),
    )


def _save(ticket: Ticket, fields: Iterable[str]) -> None:
    """Save changed fields and bump the version that stale edits are checked against."""
    ticket.version += 1
    ticket.save(update_fields=[*set(fields), "version", "updated_at"])


def _system_message(ticket: Ticket, body: str) -> Message:
    return Message.objects.create(ticket=ticket, kind=Message.Kind.SYSTEM, body=body)


def _clean_body(body: str) -> tuple[str, bool]:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")}, code="required")
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("Use at most %(max)d characters.") % {"max": MAX_BODY}}, code="max_length"
        )
    return redact_secrets(body)


def _attach(message: Message, files: Sequence) -> list[Attachment]:
    saved = []
    for clean in files:
        attachment = Attachment(
            ticket=message.ticket,
            message=message,
            original_name=clean.name,
            extension=clean.extension,
            content_type=clean.content_type,
            size=len(clean.content),
        )
        attachment.file.save(clean.name, ContentFile(clean.content), save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _prefetched(obj: Model, name: str, rows: list) -> None:
    """Leave `rows` as obj.<name>.all(), as prefetch_related would have.

    Only .all() (and what Django answers from it) uses them; filters still
    query, so a later change cannot be hidden behind a stale list.
    """
    queryset = getattr(obj, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _check_uploads(uploads: Sequence[UploadedFile]) -> list:
    try:
        return attachments_clean(list(uploads))
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc


def _senior_agents() -> list[User]:
    return list(
        User.objects.filter(
            groups__name=Role.SENIOR_AGENT.value, is_active=True, is_staff=True
        ).distinct()
    )


def _absolute(path: str) -> str:
    # E-mails are read outside the site, so links carry the configured domain.
    return f"{settings.TICKETS_LINK_SCHEME}://{Site.objects.get_current().domain}{path}"


def _ticket_url(ticket: Ticket) -> str:
    return _absolute(reverse("tickets:ticket-detail", kwargs={"reference": ticket.reference}))


def _admin_url(ticket: Ticket) -> str:
    return _absolute(reverse("admin:tickets_ticket_change", args=[ticket.pk]))


def _notify_requester(ticket: Ticket, kind: str, build, *, send_now: bool = False) -> None:
    if ticket.is_spam or ticket.held_for_confirmation:
        return
    subject, body = render_for(ticket.requester, ticket.language, build)
    notification_queue(
        ticket=ticket,
        recipient=ticket.requester,
        kind=kind,
        subject=subject,
        body=body,
        send_now=send_now,
    )


def _notify_staff(ticket: Ticket, user: User, kind: str, build, *, send_now: bool = False) -> None:
    subject, body = render_for(user, "en", build)
    notification_queue(
        ticket=ticket, recipient=user, kind=kind, subject=subject, body=body, send_now=send_now
    )


def _locked(ticket: Ticket) -> Ticket:
    """The current row, locked for this transaction, so concurrent writes queue."""
    # of=("self",): PostgreSQL would otherwise also lock the joined requester
    # row FOR UPDATE, stalling the requester's logins, their other tickets and
    # every e-mail queued to them (FK inserts need a key-share lock on it).
    return (
        Ticket.objects.select_for_update(of=("self",)).select_related("requester").get(pk=ticket.pk)
    )


# ---------------------------------------------------------------------------
# Opening
# ---------------------------------------------------------------------------
def ticket_priority_for(*, category: str, intake: dict) -> int:
    """The highest priority among active rules matching the category and amount."""
    return priority_for(category=category, amount=intake_amount(intake))


def _sla_minutes(priority: int) -> tuple[int, int, int]:
    return sla_minutes(priority)


def _sla_apply(ticket: Ticket) -> None:
    first, _next, resolution = _sla_minutes(ticket.priority)
    start = ticket.created_at or timezone.now()
    if ticket.first_responded_at is None:
        ticket.first_response_due = start + datetime.timedelta(minutes=first)
    ticket.resolution_due = start + datetime.timedelta(minutes=resolution)


def _team_for(slug_name: tuple[str, str]) -> Team:
    slug, name = slug_name
    return team_for(slug=slug, name=name)


# An agent's open tickets, for the shift in the outer query. A plain COUNT,
# which always gives one row, rather than Count(), whose GROUP BY has SQLite
# group each agent's open tickets for nothing (a fifth of the query's time
# with a few thousand open). COUNT(*), not COUNT(id): PostgreSQL can then
# answer from the (assignee, status) index alone instead of visiting every
# open ticket's row, 7x faster at 100k tickets. Built once: it does not change
# between tickets.
_OPEN_LOAD = Subquery(
    Ticket.objects.open()
    .filter(assignee_id=OuterRef("agent_id"))
    .order_by()
    .annotate(n=Func(Star(), function="COUNT", output_field=IntegerField()))
    .values("n")
)


def ticket_route(*, ticket: Ticket, now: datetime.datetime | None = None) -> Ticket:
    """Category → team; then the least-loaded agent on shift who speaks the language.

    Agents at capacity are skipped. With nobody available the ticket waits
    unassigned in the team queue, flagged for the team lead.
    """
    now = now or timezone.now()
    team_id = ticket.team_id
    if team_id is None:
        ticket.team = _team_for(CATEGORY_TEAMS.get(ticket.category, CATEGORY_TEAMS["other"]))
        team_id = ticket.team.pk
    # One query: each shift with its agent's open load; ids only, since the
    # agents' user rows are not needed to pick one (the e-mail task loads it).
    # Candidates are sorted below, so the shifts need no ORDER BY.
    shifts = (
        Shift.objects.filter(team_id=team_id, start__lte=now, end__gt=now, agent__is_active=True)
        .annotate(load=_OPEN_LOAD)
        .order_by()
        .values_list("load", "agent_id", "languages", "capacity")
    )
    candidates = sorted(
        (load, agent_id)
        for load, agent_id, languages, capacity in shifts
        if ticket.language in (languages or []) and load < capacity
    )
    ticket.assignee_id = candidates[0][1] if candidates else None
    ticket.needs_routing = not candidates
    return ticket


def _suggestions(*, text: str, language: str) -> list[dict]:
    return kb.articles_for_text(text=text, language=language, limit=3)


def ticket_open(
    *,
    requester: User,
    subject: str,
    body: str,
    category: str,
    intake: dict | None = None,
    language: str | None = None,
    channel: str = Ticket.Channel.WEB,
    attachments: Sequence[UploadedFile] = (),
    created_by: User | None = None,
    held: bool = False,
    article: dict | None = None,
) -> Ticket:
    """Open a ticket: validate intake, redact secrets, prioritise, route and set
    SLAs; the acknowledgement and the assignee's e-mail follow from a task.

    Validation and image checks run before the transaction: on SQLite the
    transaction holds the database's one write lock (BEGIN IMMEDIATE), so only
    the writes should run under it. The acknowledgement's article search is the
    slowest part of opening a ticket, so it runs after the commit, in
    `ticket_acknowledge`; until then the ticket page shows the reference and the
    response-time promise from the ticket itself.
    """
    errors: dict[str, list] = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = [_("Enter a subject.")]
    elif len(subject) > 200:
        errors["subject"] = [_("Use at most 200 characters.")]
    if channel not in Ticket.Channel.values:
        errors["channel"] = [_("Choose a valid channel.")]
    try:
        cleaned_intake = intake_clean(category=category, data=intake or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned_intake = {}
    try:
        body, body_redacted = _clean_body(body)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        body_redacted = False
    try:
        files = _check_uploads(attachments)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    languages = dict(settings.LANGUAGES)
    language = language if language in languages else None
    language = language or requester.preferred_language or settings.LANGUAGE_CODE
    subject, subject_redacted = redact_secrets(subject)
    if article:
        cleaned_intake["article"] = {"id": article["id"], "title": article["title"]}
    ticket = Ticket(
        requester=requester,
        subject=subject,
        category=category,
        intake=cleaned_intake,
        language=language,
        channel=channel,
        priority=ticket_priority_for(category=category, intake=cleaned_intake),
        held_for_confirmation=held,
    )
    if held:
        ticket.team = _team_for(SECURITY_TEAM)
    else:
        # Routing only reads, so it runs before the write transaction: on
        # SQLite that holds the database's one write lock. Two tickets opened
        # at the same instant may both see an agent's load before the other.
        ticket_route(ticket=ticket)
    with transaction.atomic():
        _ticket_create(
            ticket,
            body=body,
            redacted=body_redacted or subject_redacted,
            files=files,
            created_by=created_by,
        )
    return ticket


def _ticket_create(
    ticket: Ticket, *, body: str, redacted: bool, files: list, created_by: User | None
) -> None:
    ticket.save()
    message = Message.objects.create(
        ticket=ticket,
        author=ticket.requester,
        kind=Message.Kind.PUBLIC,
        body=body,
        redacted=redacted,
    )
    saved = _attach(message, files)
    # The thread is this one message and its files, all in memory now:
    # whoever shows the new ticket (the API's response) need not read back
    # what was just written.
    _prefetched(message, "attachments", saved)
    _prefetched(ticket, "messages", [message])
    if created_by is not None:
        _event(ticket, created_by, "channel", "", ticket.get_channel_display())
    if not ticket.held_for_confirmation:
        # Due times count from created_at, known once the row is inserted.
        _sla_apply(ticket)
        ticket.save(update_fields=["first_response_due", "resolution_due"])
        _acknowledge_on_commit(ticket)


def _ticket_activate(ticket: Ticket) -> None:
    """Route and start the SLA clock, then acknowledge after the commit: what a
    held ticket gets once confirmed."""
    ticket_route(ticket=ticket)
    _sla_apply(ticket)
    ticket.save(
        update_fields=[
            "team",
            "assignee",
            "needs_routing",
            "first_response_due",
            "resolution_due",
            "held_for_confirmation",
        ]
    )
    _acknowledge_on_commit(ticket)


def _acknowledge_on_commit(ticket: Ticket) -> None:
    ticket_id, assignee_id = ticket.pk, ticket.assignee_id
    transaction.on_commit(lambda: _acknowledge_later(ticket_id, assignee_id))


def _acknowledge_later(ticket_id: int, assignee_id: int | None) -> None:
    from .tasks import acknowledgement_send

    try:
        acknowledgement_send.enqueue(ticket_id=ticket_id, assignee_id=assignee_id)
    except Exception:
        # The ticket is open; tickets_acknowledge_missed() catches it up.
        logger.warning(
            "Could not enqueue the acknowledgement of ticket %s", ticket_id, exc_info=True
        )


def ticket_acknowledge(*, ticket_id: int, assignee_id: int | None = None) -> bool:
    """Acknowledge a new ticket once, and tell the agent routing picked.

    The requester gets a system message and an e-mail in their language with
    the reference, the response-time promise and three suggested articles. The
    agent is told only if they still hold the ticket: had it been reassigned
    since, `ticket_assign` told the new assignee. Runs after the opening
    committed (a task), so the article search holds up no request and no write
    lock. Returns False when there was nothing to do.
    """
    ticket = Ticket.objects.select_related("requester", "assignee").filter(pk=ticket_id).first()
    if ticket is None or ticket.acknowledged_at or ticket.held_for_confirmation:
        return False
    first = (
        ticket.messages.filter(kind=Message.Kind.PUBLIC)
        .order_by("pk")
        .values_list("body", flat=True)
        .first()
    )
    articles = _suggestions(text=f"{ticket.subject}\n{first or ''}", language=ticket.language)

    def build() -> tuple[str, str]:
        return acknowledgement_text(ticket, articles)

    # Rendered before the write transaction, which on SQLite holds the
    # database's one write lock that requests opening tickets wait for.
    subject, body = render_for(ticket.requester, ticket.language, build)
    emails = []
    if not ticket.is_spam:
        emails.append(
            Notification(
                ticket=ticket,
                recipient=ticket.requester,
                kind="acknowledgement",
                subject=subject,
                body=body,
            )
        )
    assignee = ticket.assignee
    if assignee is not None and assignee.pk == assignee_id:
        subject, text = render_for(assignee, "en", _assignee_new_build(ticket))
        emails.append(
            Notification(
                ticket=ticket,
                recipient=assignee,
                kind="assigned",
                subject=subject,
                body=text,
            )
        )
    with transaction.atomic():
        # The claim: a repeated or concurrent run finds the ticket acknowledged.
        if not Ticket.objects.filter(pk=ticket.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now()
        ):
            return False
        _system_message(ticket, body)
        # Already in a task: send now rather than queue one task per e-mail.
        notifications_queue_and_send(notifications=emails)
    return True


def tickets_acknowledge_missed(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Acknowledge tickets whose acknowledgement task was lost (enqueue failed,
    process killed between commit and enqueue). Older than ten minutes so the
    queue's own run goes first; younger than a day, an index range on created_at."""
    now = now or timezone.now()
    missed = (
        Ticket.objects.filter(
            acknowledged_at__isnull=True,
            held_for_confirmation=False,
            created_at__gte=now - datetime.timedelta(days=1),
            created_at__lt=now - datetime.timedelta(minutes=10),
        )
        .order_by("created_at")
        .values_list("pk", "assignee_id")[:limit]
    )
    return sum(ticket_acknowledge(ticket_id=pk, assignee_id=a) for pk, a in list(missed))


def _assignee_new_build(ticket: Ticket) -> Callable[[], tuple[str, str]]:
    def build() -> tuple[str, str]:
        return (
            _("[%(reference)s] New ticket assigned to you") % {"reference": ticket.reference},
            _("Ticket %(reference)s is waiting for you: %(url)s")
            % {"reference": ticket.reference, "url": _admin_url(ticket)},
        )

    return build


def _notify_assignee_new(ticket: Ticket) -> None:
    if ticket.assignee is not None:
        _notify_staff(ticket, ticket.assignee, "assigned", _assignee_new_build(ticket))


def ticket_idempotent_open(*, user: User, key: str, **kwargs) -> tuple[Ticket, bool]:
    """Open a ticket once per (user, Idempotency-Key); a retry returns the first one."""
    key = key[:100]
    existing = IdempotencyKey.objects.filter(user=user, key=key).select_related("ticket").first()
    if existing:
        return existing.ticket, False
    try:
        with transaction.atomic():
            ticket = ticket_open(requester=user, **kwargs)
            IdempotencyKey.objects.create(user=user, key=key, ticket=ticket)
    except IntegrityError:
        # A concurrent retry won the race; return its ticket.
        return IdempotencyKey.objects.get(user=user, key=key).ticket, False
    return ticket, True


# ---------------------------------------------------------------------------
# No-account path ("can't log in / account stolen")
# ---------------------------------------------------------------------------
@transaction.atomic
def ticket_open_without_account(
    *, email: str, exchange_uid: str, body: str, language: str
) -> Ticket | None:
    """Hold a security ticket until the account's e-mail confirms it.

    Only when the e-mail and the exchange UID belong to the same account is a
    ticket created; either way the caller shows the same message, so the form
    never tells a stranger whether an account exists.
    """
    user = User.objects.filter(
        email__iexact=(email or "").strip(), exchange_uid=(exchange_uid or "").strip()
    ).first()
    body_clean, _redacted = _clean_body(body)
    if user is None:
        return None
    ticket = ticket_open(
        requester=user,
        subject=_("Cannot log in / account compromised"),
        body=body_clean,
        category=Ticket.Category.ACCOUNT_COMPROMISED,
        intake={
            "what_happened": body_clean[:4000],
            "last_legitimate_login": timezone.now().isoformat(),
        },
        language=language,
        held=True,
    )
    token = _signer.sign(ticket.reference)
    link = _absolute(reverse("tickets:ticket-confirm", kwargs={"token": token}))

    def build() -> tuple[str, str]:
        return (
            _("Confirm your support request"),
            _(
                "Someone asked for help with your account. If it was you, confirm the "
                "request within 24 hours: %(link)s\nIf it was not you, ignore this e-mail."
            )
            % {"link": link},
        )

    subject, text = render_for(user, language, build)
    notification_queue(
        ticket=ticket, recipient=user, kind="confirm_request", subject=subject, body=text
    )
    return ticket


@transaction.atomic
def ticket_confirm_held(*, token: str) -> Ticket:
    """Release a held ticket once its confirmation link is followed."""
    try:
        reference = _signer.unsign(token, max_age=CONFIRM_MAX_AGE)
    except (BadSignature, SignatureExpired) as exc:
        raise ValidationError(_("This link is invalid or has expired."), code="token") from exc
    ticket = Ticket.objects.select_for_update().filter(reference=reference).first()
    if ticket is None:
        raise ValidationError(_("This link is invalid or has expired."), code="token")
    if ticket.held_for_confirmation:
        ticket.held_for_confirmation = False
        ticket.priority = max(ticket.priority, Priority.URGENT)
        ticket.save(update_fields=["priority", "held_for_confirmation"])
        _ticket_activate(ticket)
    return ticket


# ---------------------------------------------------------------------------
# Replies
# ---------------------------------------------------------------------------
@transaction.atomic
def ticket_reply_as_requester(
    *, ticket: Ticket, user: User, body: str, attachments: Sequence[UploadedFile] = ()
) -> Message:
    """A requester's reply; it reopens a resolved or closed ticket."""
    ticket = _locked(ticket)
    if ticket.requester_id != user.pk:
        raise PermissionDenied
    if ticket.merged_into_id:
        raise ValidationError(_("This ticket was merged into another one."), code="merged")
    if ticket.is_spam:
        raise ValidationError(_("This ticket cannot receive replies."), code="spam")
    body, redacted = _clean_body(body)
    files = _check_uploads(attachments)
    message = Message.objects.create(
        ticket=ticket, author=user, kind=Message.Kind.PUBLIC, body=body, redacted=redacted
    )
    _attach(message, files)
    fields = []
    if ticket.status in (Status.RESOLVED, Status.CLOSED, Status.PENDING_CUSTOMER):
        _set_status(ticket, user, Status.OPEN)
        fields += ["status", "resolved_at", "closed_at"]
    if ticket.first_responded_at is not None:
        _first, next_minutes, _res = _sla_minutes(ticket.priority)
        ticket.next_response_due = timezone.now() + datetime.timedelta(minutes=next_minutes)
        ticket.next_response_breached = False
        fields += ["next_response_due", "next_response_breached"]
    _save(ticket, fields)
    if ticket.assignee:

        def build() -> tuple[str, str]:
            return (
                _("[%(reference)s] New reply from the customer") % {"reference": ticket.reference},
                _("The customer replied on %(reference)s: %(url)s")
                % {"reference": ticket.reference, "url": _admin_url(ticket)},
            )

        _notify_staff(ticket, ticket.assignee, "customer_reply", build)
    return message


@transaction.atomic
def ticket_reply_as_agent(
    *,
    ticket: Ticket,
    agent: User,
    body: str,
    internal: bool = False,
    attachments: Sequence[UploadedFile] = (),
) -> Message:
    """An agent's public reply (e-mailed, awaits the customer) or internal note."""
    ticket = _locked(ticket)
    if ticket.status == Status.CLOSED:
        raise ValidationError(_("Reopen the ticket before replying."), code="closed")
    body, redacted = _clean_body(body)
    files = _check_uploads(attachments)
    message = Message.objects.create(
        ticket=ticket,
        author=agent,
        kind=Message.Kind.INTERNAL if internal else Message.Kind.PUBLIC,
        is_internal=internal,
        body=body,
        redacted=redacted,
    )
    _attach(message, files)
    if internal:
        _save(ticket, [])
        return message
    fields = ["next_response_due"]
    ticket.next_response_due = None
    if ticket.first_responded_at is None:
        ticket.first_responded_at = timezone.now()
        fields.append("first_responded_at")
    if ticket.status in (Status.NEW, Status.OPEN, Status.ON_HOLD):
        _set_status(ticket, agent, Status.PENDING_CUSTOMER)
        fields.append("status")
    _save(ticket, fields)

    def build() -> tuple[str, str]:
        return (
            _("[%(reference)s] New reply from support") % {"reference": ticket.reference},
            _("%(body)s\n\nReply or view the ticket: %(url)s")
            % {"body": body, "url": _ticket_url(ticket)},
        )

    _notify_requester(ticket, "agent_reply", build)
    return message


# ---------------------------------------------------------------------------
# Status and fields
# ---------------------------------------------------------------------------
def _set_status(ticket: Ticket, actor: User | None, status: str) -> None:
    if status not in TRANSITIONS.get(ticket.status, set()):
        raise ValidationError(
            _("A ticket cannot go from %(old)s to %(new)s.")
            % {"old": Status(ticket.status).label, "new": Status(status).label},
            code="transition",
        )
    old = ticket.status
    now = timezone.now()
    ticket.status = status
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        ticket.closed_at = None
        ticket.resolution_count += 1
    elif status == Status.CLOSED:
        ticket.closed_at = now
    else:
        ticket.resolved_at = None
        ticket.closed_at = None
    _event(ticket, actor, "status", old, status)


@transaction.atomic
def ticket_change_status(
    *, ticket: Ticket, actor: User, status: str, notify: bool = True
) -> Ticket:
    """Move the ticket along an allowed transition and tell the requester."""
    ticket = _locked(ticket)
    if status not in Status.values:
        raise ValidationError(_("Choose a valid status."), code="invalid")
    _set_status(ticket, actor, status)
    _save(ticket, ["status", "resolved_at", "closed_at", "resolution_count"])
    if notify:

        def build() -> tuple[str, str]:
            return (
                _("[%(reference)s] Your request is now: %(status)s")
                % {"reference": ticket.reference, "status": Status(status).label},
                _("View the ticket: %(url)s") % {"url": _ticket_url(ticket)},
            )

        _notify_requester(ticket, "status", build)
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, user: User) -> Ticket:
    """The requester closes their own ticket."""
    if ticket.requester_id != user.pk:
        raise PermissionDenied
    if ticket.status == Status.CLOSED:
        raise ValidationError(_("This ticket is already closed."), code="closed")
    return ticket_change_status(ticket=ticket, actor=user, status=Status.CLOSED, notify=False)


def _check_agent(user: User) -> None:
    if not (user.is_active and user.is_staff):
        raise ValidationError(_("Only active staff can be assigned."), code="assignee")


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor: User, assignee: User | None) -> Ticket:
    """Give the ticket to an agent (or back to the team queue) and tell them."""
    ticket = _locked(ticket)
    if assignee is not None:
        _check_agent(assignee)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    _event(ticket, actor, "assignee", ticket.assignee, assignee)
    ticket.assignee = assignee
    ticket.needs_routing = assignee is None
    _save(ticket, ["assignee", "needs_routing"])
    if assignee is not None and assignee.pk != actor.pk:
        _notify_assignee_new(ticket)
    return ticket


@transaction.atomic
def ticket_update(*, ticket: Ticket, actor: User, expected_version: int, **changes) -> Ticket:
    """Apply an agent's edit of priority, team, tags, category or subject.

    The edit was made against `expected_version`; if someone saved since, it is
    refused whole (optimistic concurrency) so nothing they did is overwritten.
    Status and assignee go through their own services and are delegated to.
    """
    ticket = _locked(ticket)
    if ticket.version != expected_version:
        raise ValidationError(
            _(
                "Someone else changed this ticket while you were editing it. "
                "Your changes were not saved; review the latest version and try again."
            ),
            code="conflict",
        )
    allowed = {"priority", "team", "tags", "category", "subject", "language"}
    fields = []
    for field, value in changes.items():
        if field not in allowed:
            raise ValueError(f"ticket_update cannot change {field}")
        if field == "tags":
            value = sorted({str(t).strip()[:40] for t in value or [] if str(t).strip()})
        old = getattr(ticket, field)
        if old == value:
            continue
        _event(ticket, actor, field, old, value)
        setattr(ticket, field, value)
        fields.append(field)
    if "priority" in fields:
        _sla_apply(ticket)
        fields += ["first_response_due", "resolution_due"]
    if fields:
        _save(ticket, fields)
    return ticket


def ticket_set_priority(*, ticket: Ticket, actor: User, priority: int) -> Ticket:
    if priority not in Priority.values:
        raise ValidationError(_("Choose a valid priority."), code="invalid")
    current = Ticket.objects.only("version").get(pk=ticket.pk).version
    return ticket_update(ticket=ticket, actor=actor, expected_version=current, priority=priority)


@transaction.atomic
def ticket_escalate(*, ticket: Ticket, actor: User | None, reason: str = "") -> Ticket:
    """Raise priority one step, tag the ticket and alert the senior agents."""
    ticket = _locked(ticket)
    higher = [p for p in Priority.values if p > ticket.priority]
    fields = ["tags"]
    if higher:
        _event(ticket, actor, "priority", ticket.priority, higher[0])
        ticket.priority = higher[0]
        fields.append("priority")
    if "escalated" not in ticket.tags:
        _event(ticket, actor, "tags", ticket.tags, [*ticket.tags, "escalated"])
        ticket.tags = [*ticket.tags, "escalated"]
    _save(ticket, fields)
    if reason:
        Message.objects.create(
            ticket=ticket,
            author=actor,
            kind=Message.Kind.INTERNAL,
            is_internal=True,
            body=redact_secrets(reason[:MAX_BODY])[0],
        )
    for senior in _senior_agents():

        def build() -> tuple[str, str]:
            return (
                _("[%(reference)s] Ticket escalated") % {"reference": ticket.reference},
                _("Ticket %(reference)s needs a senior agent: %(url)s")
                % {"reference": ticket.reference, "url": _admin_url(ticket)},
            )

        _notify_staff(ticket, senior, "escalated", build)
    return ticket


@transaction.atomic
def ticket_mark_spam(*, ticket: Ticket, actor: User) -> Ticket:
    """Close the ticket as spam, silently: spammers get no e-mail."""
    ticket = _locked(ticket)
    if ticket.is_spam:
        return ticket
    ticket.is_spam = True
    _event(ticket, actor, "spam", "no", "yes")
    fields = ["is_spam"]
    if ticket.status != Status.CLOSED:
        _set_status(ticket, actor, Status.CLOSED)
        fields += ["status", "closed_at"]
    _save(ticket, fields)
    return ticket


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User) -> Ticket:
    """Move the source's thread into the target and close the source.

    Both must belong to the same requester; the requester is told where their
    conversation went.
    """
    if source.pk == target.pk:
        raise ValidationError(_("A ticket cannot be merged into itself."), code="same")
    # Lock in primary-key order so that merging A into B while someone merges
    # B into A waits instead of deadlocking.
    locked = {t.pk: _locked(t) for t in sorted((source, target), key=lambda t: t.pk)}
    source, target = locked[source.pk], locked[target.pk]
    if source.requester_id != target.requester_id:
        raise ValidationError(_("Only tickets of the same requester can be merged."), code="owner")
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(_("This ticket was already merged."), code="merged")
    Message.objects.filter(ticket=source).update(ticket=target)
    Attachment.objects.filter(ticket=source).update(ticket=target)
    _system_message(
        target,
        _("Ticket %(source)s was merged into this ticket.") % {"source": source.reference},
    )
    _event(target, actor, "merged", source.reference, target.reference)
    _event(source, actor, "merged_into", "", target.reference)
    source.merged_into = target
    fields = ["merged_into"]
    if source.status != Status.CLOSED:
        _set_status(source, actor, Status.CLOSED)
        fields += ["status", "closed_at"]
    _save(source, fields)
    _save(target, [])

    def build() -> tuple[str, str]:
        return (
            _("[%(reference)s] Your requests were combined") % {"reference": target.reference},
            _("Your request %(source)s continues in %(target)s: %(url)s")
            % {"source": source.reference, "target": target.reference, "url": _ticket_url(target)},
        )

    _notify_requester(target, "merged", build)
    return target


@transaction.atomic
def ticket_rate(*, ticket: Ticket, user: User, score: int, comment: str = "") -> TicketRating:
    """Rate the latest resolution, once."""
    ticket = _locked(ticket)
    if ticket.requester_id != user.pk:
        raise PermissionDenied
    if ticket.resolution_count == 0 or ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError(_("You can rate a ticket once it is resolved."), code="not_resolved")
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")}, code="score")
    if len(comment or "") > 2000:
        raise ValidationError({"comment": _("Use at most 2000 characters.")}, code="max_length")
    if TicketRating.objects.filter(
        ticket=ticket, resolution_number=ticket.resolution_count
    ).exists():
        raise ValidationError(_("You have already rated this resolution."), code="rated")
    return TicketRating.objects.create(
        ticket=ticket,
        resolution_number=ticket.resolution_count,
        score=score,
        comment=redact_secrets((comment or "").strip())[0],
    )


def deflection_record(*, user: User | None, query: str, article_url: str) -> Deflection | None:
    """Count a user who left the ticket form for a suggested article."""
    if not article_url.startswith("/") or article_url.startswith("//"):
        return None  # only our own pages count; also keeps junk out of the table
    return Deflection.objects.create(
        user=user if user and user.is_authenticated else None,
        query=(query or "")[:200],
        article_url=article_url[:300],
    )


# ---------------------------------------------------------------------------
# SLA
# ---------------------------------------------------------------------------
def tickets_sla_check(*, now: datetime.datetime | None = None) -> int:
    """Mark breached SLA targets; escalate each breached ticket once.

    Escalation raises priority one step (only the first time) and alerts the
    senior agents. Returns the number of tickets newly breached.
    """
    now = now or timezone.now()
    base = Ticket.objects.open().filter(held_for_confirmation=False, merged_into__isnull=True)
    first = base.filter(
        first_responded_at__isnull=True, first_response_due__lt=now, first_response_breached=False
    )
    nxt = base.filter(next_response_due__lt=now, next_response_breached=False)
    res = base.filter(resolution_due__lt=now, resolution_breached=False)
    ids = set(first.values_list("pk", flat=True))
    ids |= set(nxt.values_list("pk", flat=True)) | set(res.values_list("pk", flat=True))
    first.update(first_response_breached=True, version=F("version") + 1)
    nxt.update(next_response_breached=True, version=F("version") + 1)
    res.update(resolution_breached=True, version=F("version") + 1)
    for ticket in Ticket.objects.filter(pk__in=ids, sla_escalated=False).order_by("pk"):
        _sla_escalate(ticket)
    return len(ids)


@transaction.atomic
def _sla_escalate(ticket: Ticket) -> None:
    ticket = _locked(ticket)
    if ticket.sla_escalated:
        return
    ticket.sla_escalated = True
    _save(ticket, ["sla_escalated"])
    # Internal: the customer is not told about our missed target this way.
    ticket_escalate(
        ticket=ticket,
        actor=None,
        reason=_("The response-time target was missed; the ticket was escalated."),
    )


# ---------------------------------------------------------------------------
# Emergency freeze (selfservice)
# ---------------------------------------------------------------------------
@transaction.atomic
def ticket_open_for_freeze(*, user: User, channel: str = Ticket.Channel.WEB) -> Ticket:
    """A customer froze their account: open an URGENT ticket in Account Security.

    No intake form: the freeze is the request, and a locked-out customer has
    nothing to fill in. Routing, SLA due times and the acknowledgement are
    those of every visible ticket; the priority is always URGENT.
    """
    if channel not in Ticket.Channel.values:
        channel = Ticket.Channel.WEB
    language = user.preferred_language
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE

    def build() -> tuple[str, str]:
        return (
            _("Emergency freeze: account frozen by its owner"),
            _(
                "The account was frozen through the emergency freeze. The Account Security "
                "team checks recent sign-ins, withdrawals and API keys, then contacts you."
            ),
        )

    subject, body = render_for(user, language, build)
    ticket = Ticket.objects.create(
        requester=user,
        subject=subject,
        category=Ticket.Category.ACCOUNT_COMPROMISED,
        language=language,
        channel=channel,
        priority=Priority.URGENT,
        team=_team_for(SECURITY_TEAM),
        # Acknowledged right here, below: no suggested articles to search for.
        acknowledged_at=timezone.now(),
    )
    _system_message(ticket, body)
    ticket_route(ticket=ticket)
    _sla_apply(ticket)
    ticket.save(update_fields=["assignee", "needs_routing", "first_response_due", "resolution_due"])
    first, _next, _res = _sla_minutes(ticket.priority)

    def acknowledgement() -> tuple[str, str]:
        return (
            _("[%(reference)s] Your account is frozen") % {"reference": ticket.reference},
            "\n".join(
                [
                    _(
                        "Your account is frozen. Our Account Security team opened request "
                        "%(reference)s and will contact you within %(time)s."
                    )
                    % {"reference": ticket.reference, "time": duration_text(first)},
                    _(
                        "Support will never ask for your password, 2FA codes, private keys "
                        "or seed phrase."
                    ),
                ]
            ),
        )

    _notify_requester(ticket, "acknowledgement", acknowledgement)
    if ticket.assignee:
        _notify_assignee_new(ticket)
    return ticket
