"""Every write of the self-service app; see the modules for the rules."""

from .integration import integration_event_receive, signature_compute, signature_verify

__all__ = [
    "integration_event_receive",
    "signature_compute",
    "signature_verify",
]
