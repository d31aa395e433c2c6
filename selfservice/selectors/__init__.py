"""Every read of the self-service app."""

from .kyc import kyc_status_for
from .security import security_checklist_for
from .trace import Trace, Verdict, address_matches, deposit_trace, txid_matches

__all__ = [
    "Trace",
    "Verdict",
    "address_matches",
    "deposit_trace",
    "kyc_status_for",
    "security_checklist_for",
    "txid_matches",
]
