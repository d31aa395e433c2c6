from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .managers import UserManager
from .validators import validate_exchange_uid, validate_time_zone


class User(AbstractUser):
    """A person who signs in: a customer of the exchange or a member of staff.

    Tickets and self-service records hang off this account and its exchange
    UID, never off an e-mail string, so changing e-mail keeps the history.
    """

    # Removing AbstractUser's fields: the stubs type them as always present.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True)
    exchange_uid = models.CharField(
        _("exchange UID"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_exchange_uid],
        help_text=_("The account number at the exchange; empty until linked."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # E-mail based, so not the UserManager[Self] the AbstractUser stub declares.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        indexes = [
            # The agents an agent can assign to, listed on every ticket's page:
            # a few dozen staff among however many million customers.
            models.Index(
                fields=["email"],
                condition=models.Q(is_staff=True, is_active=True),
                name="user_active_staff_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email.split("@")[0]
