"""Every read of the self-service app."""

from .kyc import kyc_status_for

__all__ = ["kyc_status_for"]
