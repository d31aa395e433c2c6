"""Every write of the self-service app; see the modules for the rules."""

from .freeze import (
    account_freeze,
    account_freeze_confirm,
    freeze_link_request,
    freeze_unfreeze_approve,
    freeze_unfreeze_request,
)
from .integration import integration_event_receive, signature_compute, signature_verify
from .security import (
    anti_phishing_code_set,
    password_change_record,
    sign_in_record,
    user_sessions_end_others,
)
from .troubleshoot import walk_answer, walk_start
from .webhooks import (
    backoff_seconds,
    outbound_webhook_attempt,
    outbound_webhook_queue,
    outbound_webhook_retry_now,
    outbound_webhooks_retry_due,
)

__all__ = [
    "account_freeze",
    "account_freeze_confirm",
    "anti_phishing_code_set",
    "backoff_seconds",
    "freeze_link_request",
    "freeze_unfreeze_approve",
    "freeze_unfreeze_request",
    "integration_event_receive",
    "outbound_webhook_attempt",
    "outbound_webhook_queue",
    "outbound_webhook_retry_now",
    "outbound_webhooks_retry_due",
    "password_change_record",
    "sign_in_record",
    "signature_compute",
    "signature_verify",
    "user_sessions_end_others",
    "walk_answer",
    "walk_start",
]
