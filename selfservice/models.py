"""Self-service records: the portal's latest copy of the exchange's account facts.

The exchange is the source of truth for KYC, security settings, freezes and
network status; it pushes them through signed events (IntegrationEvent). The
portal adds what only it knows: sign-ins, password changes, freeze requests
and outbound webhooks.
"""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class IntegrationEvent(models.Model):
    """One accepted event from the exchange; event_id makes delivery idempotent."""

    class Type(models.TextChoices):
        KYC_UPDATED = "kyc.updated", "kyc.updated"
        SECURITY_SNAPSHOT = "security.snapshot", "security.snapshot"
        ACCOUNT_FROZEN = "account.frozen", "account.frozen"
        ACCOUNT_UNFROZEN = "account.unfrozen", "account.unfrozen"
        CHAIN_STATUS = "chain.status", "chain.status"

    event_id = models.CharField(_("event ID"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=40, choices=Type.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="integration_events",
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("integration event")
        verbose_name_plural = _("integration events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class KycLevel(models.Model):
    """The current state of one verification level. Status data only, never documents."""

    class Level(models.IntegerChoices):
        IDENTITY = 1, _("Lv1 identity")
        ADDRESS = 2, _("Lv2 address")
        ADVANCED = 3, _("Lv3 advanced")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        PENDING = "pending_review", _("Pending review")
        NEEDS_INFO = "needs_more_information", _("Needs more information")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kyc_levels"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    reason_codes = models.JSONField(_("reason codes"), default=list, blank=True)
    estimated_review_hours = models.PositiveIntegerField(
        _("estimated review time (hours)"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("KYC level")
        verbose_name_plural = _("KYC levels")
        ordering = ["user", "level"]
        constraints = [
            models.UniqueConstraint(fields=["user", "level"], name="kyc_level_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_status_display()}"


class KycChange(models.Model):
    """The timeline: one row per status change the exchange reported."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kyc_changes"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=KycLevel.Level.choices)
    status = models.CharField(_("status"), max_length=30, choices=KycLevel.Status.choices)
    reason_codes = models.JSONField(_("reason codes"), default=list, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("KYC change")
        verbose_name_plural = _("KYC changes")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_status_display()}"


class SecuritySnapshot(models.Model):
    """The exchange-side security settings, as of the last security.snapshot."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_snapshot"
    )
    withdrawal_whitelist_enabled = models.BooleanField(_("withdrawal whitelist on"))
    anti_phishing_code_set = models.BooleanField(_("anti-phishing code set at the exchange"))
    # [{"label": str, "scopes": [str], "last_used_at": iso8601 | None}], no key material.
    api_keys = models.JSONField(_("API keys"), default=list, blank=True)
    as_of = models.DateTimeField(_("as of"))

    class Meta:
        verbose_name = _("security snapshot")
        verbose_name_plural = _("security snapshots")

    def __str__(self) -> str:
        return f"{self.user} @ {self.as_of:%Y-%m-%d %H:%M}"


class SignIn(models.Model):
    """A sign-in, kept coarse: the network prefix and browser family, never the raw IP."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    created_at = models.DateTimeField(_("signed in at"))
    network = models.CharField(_("network"), max_length=64, blank=True)
    device = models.CharField(_("browser and system"), max_length=80, blank=True)
    new_network = models.BooleanField(_("new network"), default=False)
    new_device = models.BooleanField(_("new browser or device"), default=False)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="signin_user_recent")]

    def __str__(self) -> str:
        return f"{self.device} {self.network}"

    @property
    def is_unusual(self) -> bool:
        return self.new_network or self.new_device


class PasswordChange(models.Model):
    class Kind(models.TextChoices):
        CHANGED = "changed", _("Changed")
        SET = "set", _("Set")
        RESET = "reset", _("Reset")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_changes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("password change")
        verbose_name_plural = _("password changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.changed_at:%Y-%m-%d}"


class AntiPhishingCode(models.Model):
    """The user's personal code, printed at the top of every e-mail we send them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="anti_phishing_code"
    )
    code = models.CharField(_("anti-phishing code"), max_length=20)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("anti-phishing code")
        verbose_name_plural = _("anti-phishing codes")

    def __str__(self) -> str:
        return str(_("anti-phishing code"))


class AccountFreeze(models.Model):
    """A freeze of the user's account; lifting a portal freeze needs two people."""

    class Source(models.TextChoices):
        SELF_SERVICE = "self_service", _("Signed-in user")
        LOCKED_OUT = "locked_out", _("Locked-out user (e-mail link)")
        EXCHANGE = "exchange", _("Exchange")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="freezes"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    created_at = models.DateTimeField(_("frozen at"))
    unfreeze_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unfreeze requested by"),
    )
    unfreeze_requested_at = models.DateTimeField(_("unfreeze requested at"), null=True, blank=True)
    unfreeze_note = models.TextField(_("identity verification note"), blank=True)
    unfreeze_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unfreeze approved by"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account freeze")
        verbose_name_plural = _("account freezes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(lifted_at__isnull=True), name="freeze_one_active"
            ),
            models.CheckConstraint(
                condition=Q(unfreeze_approved_by__isnull=True)
                | ~Q(unfreeze_approved_by=F("unfreeze_requested_by")),
                name="freeze_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_source_display()})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class OutboundWebhook(models.Model):
    """A signed event for the exchange, retried with backoff until it answers 2xx."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    event_id = models.UUIDField(_("event ID"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=60)
    url = models.URLField(_("URL"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempt_count = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound webhook")
        verbose_name_plural = _("outbound webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class WebhookAttempt(models.Model):
    webhook = models.ForeignKey(OutboundWebhook, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(_("attempted at"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["attempted_at"]

    def __str__(self) -> str:
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"


class ChainNetwork(models.Model):
    """A deposit network: confirmations, provider and status (from chain.status)."""

    class TxidFormat(models.TextChoices):
        BTC = "btc", _("Bitcoin (64 hex)")
        EVM = "evm", _("EVM (0x + 64 hex)")
        TRON = "tron", _("TRON (64 hex)")
        SOL = "sol", _("Solana (base58, 87-88 characters)")

    class Provider(models.TextChoices):
        ESPLORA = "esplora", _("Esplora REST")
        EVM_RPC = "evm_rpc", _("EVM JSON-RPC")
        NONE = "none", _("No provider")

    code = models.CharField(_("network code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    coins = models.CharField(
        _("coins"), max_length=200, help_text=_("Comma-separated, e.g. ETH,USDT,USDC.")
    )
    txid_format = models.CharField(_("TXID format"), max_length=10, choices=TxidFormat.choices)
    required_confirmations = models.PositiveIntegerField(_("confirmations to credit"))
    block_time_seconds = models.PositiveIntegerField(_("average block time (seconds)"))
    provider = models.CharField(
        _("provider"), max_length=10, choices=Provider.choices, default=Provider.NONE
    )
    provider_url = models.URLField(_("provider base URL"), blank=True)
    memo_required = models.BooleanField(_("memo/tag required"), default=False)
    deposits_enabled = models.BooleanField(_("deposits enabled"), default=True)
    withdrawals_enabled = models.BooleanField(_("withdrawals enabled"), default=True)
    notice = models.CharField(_("notice"), max_length=300, blank=True)
    status_updated_at = models.DateTimeField(_("status updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("chain network")
        verbose_name_plural = _("chain networks")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def coin_list(self) -> list[str]:
        return [c.strip().upper() for c in self.coins.split(",") if c.strip()]


class OfficialChannel(models.Model):
    """One channel the exchange really uses; the verifier answers "official" only for these."""

    class Kind(models.TextChoices):
        WEBSITE = "website", _("Website")
        EMAIL = "email", _("E-mail address")
        PHONE = "phone", _("Phone number")
        TELEGRAM = "telegram", _("Telegram")
        X = "x", _("X (Twitter)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_("As customers would paste it: a URL, an address, a number or an @handle."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("official channel")
        verbose_name_plural = _("official channels")
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="official_channel_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


# Where an answer can send the customer besides the next question: the
# self-service tools and the password reset, by URL name.
TROUBLESHOOTER_TOOLS = [
    ("selfservice:deposit-trace", _("Deposit / TXID tracer")),
    ("selfservice:kyc-status", _("Verification (KYC) status")),
    ("selfservice:security-check", _("Account security check")),
    ("selfservice:freeze", _("Emergency account freeze (signed in)")),
    ("selfservice:freeze-request", _("Emergency account freeze (locked out)")),
    ("selfservice:verify-channel", _("Official-channel verifier")),
    ("selfservice:anti-phishing-code", _("Anti-phishing code")),
    ("account_reset_password", _("Password reset")),
]
# The ticket form pre-fills only these (tickets.views.ticket_create).
TICKET_PREFILL_KEYS = ("coin", "network", "txid", "address", "amount")


class Tree(models.Model):
    """A guided troubleshooter in one language; translations share a translation key."""

    slug = models.SlugField(_("slug"), max_length=80)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    translation_key = models.SlugField(
        _("translation key"),
        max_length=80,
        help_text=_("The same for every translation of this troubleshooter."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("troubleshooter")
        verbose_name_plural = _("troubleshooters")
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="tree_slug_language"),
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="tree_translation_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class Step(models.Model):
    """One question; the step with the lowest position is where a walk starts."""

    tree = models.ForeignKey(
        Tree, verbose_name=_("troubleshooter"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    question = models.CharField(_("question"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("troubleshooter step")
        verbose_name_plural = _("troubleshooter steps")
        ordering = ["tree", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.question[:80]}"


class Answer(models.Model):
    """One answer to a step; it leads to exactly one place."""

    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.CASCADE, related_name="answers"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=200)
    next_step = models.ForeignKey(
        Step,
        verbose_name=_("next step"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    article_slug = models.SlugField(_("knowledge-base article (slug)"), max_length=200, blank=True)
    tool = models.CharField(
        _("self-service tool"), max_length=60, choices=TROUBLESHOOTER_TOOLS, blank=True
    )
    ticket_category = models.CharField(
        _("ticket category"),
        max_length=30,
        choices=Ticket.Category.choices,
        blank=True,
        help_text=_("Opens a pre-filled ticket."),
    )
    ticket_params = models.JSONField(
        _("ticket pre-fill"),
        default=dict,
        blank=True,
        help_text=_('For example {"network": "BTC", "coin": "BTC"}.'),
    )

    class Meta:
        verbose_name = _("troubleshooter answer")
        verbose_name_plural = _("troubleshooter answers")
        ordering = ["step", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(next_step__isnull=False, article_slug="", tool="", ticket_category="")
                    | Q(next_step__isnull=True, tool="", ticket_category="") & ~Q(article_slug="")
                    | Q(next_step__isnull=True, article_slug="", ticket_category="") & ~Q(tool="")
                    | Q(next_step__isnull=True, article_slug="", tool="") & ~Q(ticket_category="")
                ),
                name="answer_exactly_one_target",
                violation_error_message=_(
                    "Choose exactly one of: next step, article, tool or ticket category."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if (
            self.next_step_id
            and self.step_id
            and self.next_step is not None
            and self.next_step.tree_id != self.step.tree_id
        ):
            errors["next_step"] = _("Choose a step of the same troubleshooter.")
        params = self.ticket_params
        if not isinstance(params, dict) or any(
            k not in TICKET_PREFILL_KEYS or not isinstance(v, str) or len(v) > 100
            for k, v in (params.items() if isinstance(params, dict) else [])
        ):
            errors["ticket_params"] = _("Use an object with text values for: %(keys)s.") % {
                "keys": ", ".join(TICKET_PREFILL_KEYS)
            }
        if errors:
            raise ValidationError(errors)


class Walk(models.Model):
    """One anonymous walk through a troubleshooter: the path of step ids and the outcome.

    No user, IP or session key: a random token ties the clicks of one walk together.
    """

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Left before the end")
        ARTICLE = "article", _("Knowledge-base article")
        TOOL = "tool", _("Self-service tool")
        TICKET = "ticket", _("Ticket")

    token = models.CharField(_("token"), max_length=32, unique=True)
    tree = models.ForeignKey(
        Tree, verbose_name=_("troubleshooter"), on_delete=models.CASCADE, related_name="walks"
    )
    path = models.JSONField(_("path of step IDs"), default=list)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("troubleshooter walk")
        verbose_name_plural = _("troubleshooter walks")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["tree", "-started_at"], name="walk_tree_recent")]

    def __str__(self) -> str:
        return f"{self.tree_id} {self.get_outcome_display()}"
