"""Every read of the self-service app."""

from .kyc import kyc_status_for
from .security import security_checklist_for

__all__ = ["kyc_status_for", "security_checklist_for"]
