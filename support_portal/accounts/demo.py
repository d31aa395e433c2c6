"""Demo accounts: two customers and one of each staff role."""

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import User
from .roles import Role
from .services import user_grant_role

DEMO_PASSWORD = "support-demo-2026"  # noqa: S105 (published in the README on purpose)

DEMO_ACCOUNTS = [
    # email, name, exchange UID, language, time zone, roles, superuser
    ("alice@example.com", "Alice Martin", "40817352", "en", "Europe/Paris", [], False),
    ("bob@example.com", "Bob Chen", "51290467", "zh-hans", "Asia/Shanghai", [], False),
    ("agent@example.com", "Sam Agent", None, "en", "Europe/London", [Role.AGENT], False),
    ("agent.zh@example.com", "李客服", None, "zh-hans", "Asia/Shanghai", [Role.AGENT], False),
    ("editor@example.com", "Eve Editor", None, "en", "UTC", [Role.EDITOR], False),
    (
        "supervisor@example.com",
        "Sara Supervisor",
        None,
        "en",
        "Asia/Singapore",
        [Role.SENIOR_AGENT],
        True,
    ),
]


def account_rows() -> list[tuple[str, str]]:
    """(e-mail, role) for each demo account, as the demo command prints them."""
    rows = []
    for email, _name, _uid, _language, _zone, roles, superuser in DEMO_ACCOUNTS:
        label = ", ".join(str(r.label) for r in roles) or "Customer"
        rows.append((email, label + (" + superuser" if superuser else "")))
    return rows


@transaction.atomic
def load(*, stdout=None) -> None:
    """Create or refresh the demo accounts."""
    for email, name, uid, language, zone, roles, superuser in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "name": name,
                "exchange_uid": uid,
                "preferred_language": language,
                "time_zone": zone,
                "is_superuser": superuser,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for role in roles:
            user_grant_role(user=user, role=role)
