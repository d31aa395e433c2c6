import json
import time

import pytest
from django.test import Client

from selfservice.services import signature_compute

SECRET = "test-webhook-secret"
EVENTS_URL = "/api/integrations/events/"


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.EXCHANGE_WEBHOOK_SECRET = SECRET


def signed_headers(body: bytes, *, timestamp: int | None = None, secret: str = SECRET) -> dict:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "HTTP_X_TIMESTAMP": ts,
        "HTTP_X_SIGNATURE": "sha256=" + signature_compute(secret=secret, timestamp=ts, body=body),
    }


def post_event(client: Client, event: dict | bytes, **kwargs):
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return client.post(
        EVENTS_URL, data=body, content_type="application/json", **signed_headers(body, **kwargs)
    )


@pytest.fixture
def post(client):
    def _post(event, **kwargs):
        return post_event(client, event, **kwargs)

    return _post
