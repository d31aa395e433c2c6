"""Clients of outside HTTP services: the exchange's webhook endpoint and chain-data providers.

Standard library only (urllib). Every call has a timeout from settings, and
every failure surfaces as ProviderUnavailable: callers say so honestly and
never guess.
"""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

USER_AGENT = "support-portal/1 (+selfservice)"


class ProviderUnavailable(Exception):
    """The outside service did not answer usably (timeout, refused, 5xx, bad JSON)."""


@dataclass(frozen=True)
class HttpResult:
    status: int | None
    error: str
    duration_ms: int


def _http_url(url: str) -> str:
    """Only http(s): a base URL from the admin must never open file:// or other schemes."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError("only http and https URLs are allowed")
    return url


def _timeout() -> float:
    return settings.CHAIN_PROVIDER_CONNECT_TIMEOUT + settings.CHAIN_PROVIDER_READ_TIMEOUT


def exchange_event_post(
    *, url: str, body: bytes, headers: dict[str, str], timeout: float
) -> HttpResult:
    """POST one signed event to the exchange; never raises, reports what happened."""
    started = time.monotonic()
    status, error = None, ""
    try:
        request = urllib.request.Request(  # noqa: S310 (scheme checked)
            _http_url(url),
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except TimeoutError:
        error = "timeout"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:200] or exc.__class__.__name__
    return HttpResult(
        status=status, error=error, duration_ms=int((time.monotonic() - started) * 1000)
    )


@dataclass(frozen=True)
class ChainTransaction:
    """What a provider says about a transaction: enough for a verdict, nothing more."""

    confirmations: int
    recipients: list[str] = field(default_factory=list)
    failed: bool = False


def _get(url: str, *, timeout: float) -> tuple[int, bytes]:
    try:
        request = urllib.request.Request(_http_url(url), headers={"User-Agent": USER_AGENT})  # noqa: S310
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(1_000_000)
    except urllib.error.HTTPError as exc:
        if exc.code in (400, 404):
            return exc.code, exc.read(10_000)
        raise ProviderUnavailable(f"HTTP {exc.code}") from exc
    except TimeoutError as exc:
        raise ProviderUnavailable("timeout") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ProviderUnavailable(str(getattr(exc, "reason", exc))[:200]) from exc


def _json(raw: bytes):
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProviderUnavailable("invalid JSON") from exc


def esplora_transaction(
    *, base_url: str, txid: str, timeout: float | None = None
) -> ChainTransaction | None:
    """A Bitcoin transaction through an Esplora REST API; None when it does not exist.

    Uses /tx/{txid} (outputs), /tx/{txid}/status and /blocks/tip/height.
    """
    timeout = timeout or _timeout()
    base = base_url.rstrip("/")
    status, raw = _get(f"{base}/tx/{txid}", timeout=timeout)
    if status in (400, 404):
        return None
    tx = _json(raw)
    status, raw = _get(f"{base}/tx/{txid}/status", timeout=timeout)
    if status in (400, 404):
        return None
    tx_status = _json(raw)
    if not isinstance(tx, dict) or not isinstance(tx_status, dict):
        raise ProviderUnavailable("unexpected response")
    recipients = [
        out["scriptpubkey_address"]
        for out in tx.get("vout", [])
        if isinstance(out, dict) and out.get("scriptpubkey_address")
    ]
    if not tx_status.get("confirmed"):
        return ChainTransaction(confirmations=0, recipients=recipients)
    status, raw = _get(f"{base}/blocks/tip/height", timeout=timeout)
    try:
        tip = int(raw.decode().strip())
        height = int(tx_status["block_height"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ProviderUnavailable("unexpected response") from exc
    return ChainTransaction(confirmations=max(tip - height + 1, 0), recipients=recipients)


def _rpc(url: str, method: str, params: list, *, timeout: float):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    try:
        request = urllib.request.Request(  # noqa: S310 (scheme checked)
            _http_url(url),
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read(1_000_000)
    except urllib.error.HTTPError as exc:
        raise ProviderUnavailable(f"HTTP {exc.code}") from exc
    except TimeoutError as exc:
        raise ProviderUnavailable("timeout") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ProviderUnavailable(str(getattr(exc, "reason", exc))[:200]) from exc
    answer = _json(raw)
    if not isinstance(answer, dict) or "error" in answer or "result" not in answer:
        raise ProviderUnavailable("RPC error")
    return answer["result"]


TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"


def evm_transaction(
    *, base_url: str, txid: str, timeout: float | None = None
) -> ChainTransaction | None:
    """An EVM transaction through JSON-RPC; None when the node does not know it.

    Recipients are the transaction's ``to`` and, for token transfers, the
    recipients of ERC-20 Transfer logs (USDT's ``to`` is the token contract).
    """
    timeout = timeout or _timeout()
    try:
        tx = _rpc(base_url, "eth_getTransactionByHash", [txid], timeout=timeout)
        if tx is None:
            return None
        recipients = [tx["to"].lower()] if tx.get("to") else []
        receipt = _rpc(base_url, "eth_getTransactionReceipt", [txid], timeout=timeout)
        if receipt is None:
            return ChainTransaction(confirmations=0, recipients=recipients)
        for log in receipt.get("logs", []):
            topics = log.get("topics", [])
            if len(topics) == 3 and topics[0].lower() == TRANSFER_TOPIC:
                recipients.append("0x" + topics[2][-40:].lower())
        tip = int(_rpc(base_url, "eth_blockNumber", [], timeout=timeout), 16)
        height = int(receipt["blockNumber"], 16)
        failed = receipt.get("status") == "0x0"
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProviderUnavailable("unexpected response") from exc
    return ChainTransaction(
        confirmations=max(tip - height + 1, 0), recipients=recipients, failed=failed
    )
