"""Self-service records: the portal's latest copy of the exchange's account facts.

The exchange is the source of truth for KYC, security settings, freezes and
network status; it pushes them through signed events (IntegrationEvent). The
portal adds what only it knows: sign-ins, password changes, freeze requests
and outbound webhooks.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


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
