"""KYC status for the signed-in user: tier, state and next step only, and logged."""

import datetime
import logging
from dataclasses import dataclass, field

from support_portal.accounts.models import User

from ..kyc_reasons import Reason, reason_for
from ..models import KycChange, KycLevel

logger = logging.getLogger(__name__)


@dataclass
class KycLevelStatus:
    level: int
    label: str
    status: str
    status_label: str
    reasons: list[Reason] = field(default_factory=list)
    estimated_review_hours: int | None = None
    updated_at: datetime.datetime | None = None


@dataclass
class KycStatus:
    levels: list[KycLevelStatus]
    timeline: list[KycChange]


def kyc_status_for(*, user: User) -> KycStatus:
    """Every level (unknown ones as "not started") with reasons and the timeline.

    Only status data exists to return: the exchange never sends document
    names, numbers or images. The lookup is logged without personal data.
    """
    stored = {row.level: row for row in user.kyc_levels.all()}
    levels = []
    for value, label in KycLevel.Level.choices:
        row = stored.get(value)
        status = row.status if row else KycLevel.Status.NOT_STARTED
        levels.append(
            KycLevelStatus(
                level=value,
                label=str(label),
                status=status,
                status_label=str(KycLevel.Status(status).label),
                reasons=[reason_for(code) for code in (row.reason_codes if row else [])],
                estimated_review_hours=row.estimated_review_hours
                if row and status in (KycLevel.Status.PENDING, KycLevel.Status.NEEDS_INFO)
                else None,
                updated_at=row.updated_at if row else None,
            )
        )
    timeline = list(user.kyc_changes.all()[:50])
    logger.info(
        "kyc lookup user_pk=%s levels=%s",
        user.pk,
        ",".join(f"{lv.level}:{lv.status}" for lv in levels),
    )
    return KycStatus(levels=levels, timeline=timeline)
