import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Crockford's base32 alphabet: no I, L, O or U, so references read aloud well.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 12


def new_reference() -> str:
    """A public ticket reference: 60 random bits, never guessable from another."""
    return "T-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # The customer's file name never reaches the file system: it may carry a
    # path, control characters or an extension that lies.
    return f"tickets/{secrets.token_hex(16)}.{instance.extension}"


class Team(models.Model):
    """A queue of tickets worked by the agents on shift for it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(models.QuerySet):
    def open(self) -> "TicketQuerySet":
        # Listed, not excluded: "status IN (…)" can seek the (assignee, status)
        # and (status, created_at) indexes, where "NOT IN" reads every closed
        # ticket too (routing counts each agent's open load on every new ticket).
        done = {Ticket.Status.RESOLVED, Ticket.Status.CLOSED}
        return self.filter(status__in=[s for s in Ticket.Status.values if s not in done])

    def visible(self) -> "TicketQuerySet":
        """Tickets that exist for the requester: confirmed and not merged away."""
        return self.filter(held_for_confirmation=False, merged_into__isnull=True)


class Ticket(models.Model):
    """A customer's request for help."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING_CUSTOMER = "pending_customer", _("Pending customer")
        ON_HOLD = "on_hold", _("On hold")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Priority(models.IntegerChoices):
        LOW = 10, _("Low")
        NORMAL = 20, _("Normal")
        HIGH = 30, _("High")
        URGENT = 40, _("Urgent")

    class Category(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit not credited")
        WITHDRAWAL = "withdrawal", _("Withdrawal problem")
        ACCOUNT_COMPROMISED = "account_compromised", _("Account compromised")
        KYC = "kyc", _("KYC / identity verification")
        TRADING = "trading", _("Trading or liquidation dispute")
        BALANCE = "balance", _("Balance anomaly")
        API = "api", _("API")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        APP = "app", _("App")
        EMAIL = "email", _("E-mail")
        CHAT = "chat", _("Chat")
        PHONE = "phone", _("Phone")
        SOCIAL = "social", _("Social media")

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_reference, editable=False
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    category = models.CharField(
        _("category"), max_length=30, choices=Category.choices, default=Category.OTHER
    )
    # Validated by tickets.intake for the category; never trusted from the client.
    intake = models.JSONField(_("intake details"), default=dict, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Set when routing found nobody on shift: the team lead looks at these first.
    needs_routing = models.BooleanField(_("unrouted"), default=False)
    is_spam = models.BooleanField(_("spam"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_tickets",
    )
    # The no-account path ("can't log in"): hidden until the e-mail is confirmed.
    held_for_confirmation = models.BooleanField(_("held for e-mail confirmation"), default=False)
    # Set by the after-commit task that writes the acknowledgement, once: the
    # ticket page stands in for an acknowledgement not written yet.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    next_response_due = models.DateTimeField(_("next response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True)
    first_response_breached = models.BooleanField(_("first response breached"), default=False)
    next_response_breached = models.BooleanField(_("next response breached"), default=False)
    resolution_breached = models.BooleanField(_("resolution breached"), default=False)
    # Priority is raised once per ticket on breach, never in a loop.
    sla_escalated = models.BooleanField(_("escalated for SLA breach"), default=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Each resolution may be rated once; reopening and resolving again allows another.
    resolution_count = models.PositiveIntegerField(_("times resolved"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        indexes = [
            # The agent console's default order (the admin adds -id to break ties):
            # without it every changelist page sorts the whole table.
            models.Index(fields=["-created_at", "-id"], name="ticket_created_idx"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_idx"),
            models.Index(fields=["status", "-created_at"], name="ticket_status_idx"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="ticket_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="ticket_resolved_has_resolved_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_breached(self) -> bool:
        return (
            self.first_response_breached or self.next_response_breached or self.resolution_breached
        )


class Message(models.Model):
    """One entry in a ticket's thread. Messages are never edited or deleted."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public reply")
        INTERNAL = "internal", _("Internal note")
        SYSTEM = "system", _("System event")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket_messages",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    is_internal = models.BooleanField(_("internal"), default=False)
    body = models.TextField(_("body"))
    # True when secrets were removed before saving, so the UI can warn.
    redacted = models.BooleanField(_("secrets redacted"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_idx")]
        constraints = [
            # One source of truth for "customer may see this": the two agree.
            models.CheckConstraint(
                condition=(Q(kind="internal") & Q(is_internal=True))
                | (~Q(kind="internal") & Q(is_internal=False)),
                name="message_internal_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.reference} #{self.pk}"


class Attachment(models.Model):
    """A checked file on a message; served only through the access-checked view."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="attachments"
    )
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    extension = models.CharField(_("extension"), max_length=5)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class TicketEvent(models.Model):
    """Audit history: who changed which field, when, from what to what."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=30)
    old_value = models.CharField(_("old value"), max_length=200, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class CannedReply(models.Model):
    """A reusable answer. {name}, {reference} and {agent} are filled in on insert."""

    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    body = models.TextField(_("body"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["language", "title"]
        constraints = [
            models.UniqueConstraint(fields=["language", "title"], name="canned_reply_unique")
        ]

    def __str__(self) -> str:
        return f"[{self.language}] {self.title}"


class PriorityRule(models.Model):
    """Sets a new ticket's priority by category and, optionally, the amount involved.

    The highest priority among matching active rules wins.
    """

    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=30, choices=Ticket.Category.choices)
    min_amount = models.DecimalField(
        _("minimum amount"),
        max_digits=30,
        decimal_places=8,
        null=True,
        blank=True,
        help_text=_("Only tickets whose amount is at least this much match."),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Ticket.Priority.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("priority rule")
        verbose_name_plural = _("priority rules")
        ordering = ["category", "-priority"]

    def __str__(self) -> str:
        return self.name


class SLAPolicy(models.Model):
    """Response and resolution targets for one priority."""

    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Ticket.Priority.choices, unique=True
    )
    first_response_minutes = models.PositiveIntegerField(_("first response (minutes)"))
    next_response_minutes = models.PositiveIntegerField(_("next response (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (minutes)"))

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["-priority"]

    def __str__(self) -> str:
        return str(self.get_priority_display())


class Shift(models.Model):
    """One agent on one team's rota for a period, in the languages they speak."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="shifts",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="shifts"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    languages = models.JSONField(_("languages"), default=list)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=20, help_text=_("Open tickets this agent can hold at once.")
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["start"]
        indexes = [models.Index(fields=["team", "start", "end"], name="shift_team_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="shift_end_after")
        ]

    def __str__(self) -> str:
        return f"{self.agent} · {self.team} · {self.start:%Y-%m-%d %H:%M}"


class TicketRating(models.Model):
    """The requester's satisfaction with one resolution of a ticket."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="ratings"
    )
    resolution_number = models.PositiveIntegerField(_("resolution"))
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket rating")
        verbose_name_plural = _("ticket ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "resolution_number"], name="rating_once_per_resolution"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.reference}: {self.score}"


class Notification(models.Model):
    """An outgoing e-mail about a ticket: the outbox agents can inspect.

    Sending happens in a task; a failure is retried with backoff and, after the
    last attempt, stays here as failed instead of disappearing into a log.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=30)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.get_status_display()}"


class Deflection(models.Model):
    """A user left the ticket form through a suggested article."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    query = models.CharField(_("query"), max_length=200)
    article_url = models.CharField(_("article URL"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.article_url


class IdempotencyKey(models.Model):
    """Remembers which ticket an API create with an Idempotency-Key produced."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return self.key
