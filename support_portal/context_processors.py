from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """Site-wide values every page's header and footer need."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "OFFICIAL_CHANNELS": settings.OFFICIAL_CHANNELS,
    }
