"""Every write of the self-service app; see the modules for the rules."""

from .integration import integration_event_receive, signature_compute, signature_verify
from .security import (
    anti_phishing_code_set,
    password_change_record,
    sign_in_record,
    user_sessions_end_others,
)

__all__ = [
    "anti_phishing_code_set",
    "integration_event_receive",
    "password_change_record",
    "sign_in_record",
    "signature_compute",
    "signature_verify",
    "user_sessions_end_others",
]
