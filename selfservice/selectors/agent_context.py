"""What an agent sees of a requester's account beside a ticket: status only."""

from dataclasses import dataclass

from support_portal.accounts.models import User

from .kyc import KycLevelStatus, kyc_status_for
from .security import CheckItem, security_checklist_for


@dataclass
class AccountSummary:
    kyc_levels: list[KycLevelStatus]
    security_score: int
    security_risks: list[CheckItem]
    unusual_sign_ins: int
    frozen: bool


def account_summary_for_agent(*, user: User) -> AccountSummary:
    """KYC levels, the security score with its open risks, unusual sign-ins and
    whether the account is frozen. Like the customer's own views it holds no
    document data; an agent needs the state to answer, not the documents."""
    kyc = kyc_status_for(user=user)
    security = security_checklist_for(user=user, current_session_key=None)
    return AccountSummary(
        kyc_levels=kyc.levels,
        security_score=security.score,
        security_risks=[item for item in security.items if item.status != "ok"],
        unusual_sign_ins=sum(1 for sign_in in security.sign_ins if sign_in.is_unusual),
        frozen=user.freezes.filter(lifted_at__isnull=True).exists(),
    )
