"""Every read of the self-service app."""

from .agent_context import AccountSummary, account_summary_for_agent
from .channels import ChannelVerdict, channel_verify, official_channels
from .kyc import kyc_status_for
from .security import security_checklist_for
from .trace import Trace, Verdict, address_matches, deposit_trace, txid_matches
from .troubleshoot import (
    answer_target_url,
    troubleshooter_answer,
    troubleshooter_dropoff,
    troubleshooter_get,
    troubleshooter_step,
    troubleshooters_for,
)

__all__ = [
    "AccountSummary",
    "ChannelVerdict",
    "Trace",
    "Verdict",
    "account_summary_for_agent",
    "address_matches",
    "answer_target_url",
    "channel_verify",
    "deposit_trace",
    "kyc_status_for",
    "official_channels",
    "security_checklist_for",
    "troubleshooter_answer",
    "troubleshooter_dropoff",
    "troubleshooter_get",
    "troubleshooter_step",
    "troubleshooters_for",
    "txid_matches",
]
