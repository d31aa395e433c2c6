"""The deposit tracer: where is this transaction, and what should the customer do?"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from .. import clients
from ..models import ChainNetwork

logger = logging.getLogger(__name__)

# Keyed by ChainNetwork.txid_format, which the model field gives as a plain str.
TXID_FORMATS: dict[str, re.Pattern[str]] = {
    ChainNetwork.TxidFormat.BTC: re.compile(r"^[0-9a-fA-F]{64}$"),
    ChainNetwork.TxidFormat.TRON: re.compile(r"^[0-9a-fA-F]{64}$"),
    ChainNetwork.TxidFormat.EVM: re.compile(r"^0x[0-9a-fA-F]{64}$"),
    ChainNetwork.TxidFormat.SOL: re.compile(r"^[1-9A-HJ-NP-Za-km-z]{87,88}$"),
}
ADDRESS_FORMATS: dict[str, re.Pattern[str]] = {
    ChainNetwork.TxidFormat.BTC: re.compile(
        r"^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$"
    ),
    ChainNetwork.TxidFormat.EVM: re.compile(r"^0x[0-9a-fA-F]{40}$"),
    ChainNetwork.TxidFormat.TRON: re.compile(r"^T[1-9A-HJ-NP-Za-km-z]{33}$"),
    ChainNetwork.TxidFormat.SOL: re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$"),
}


class Verdict:
    ON_ITS_WAY = "on_its_way"
    CONFIRMED = "confirmed_not_credited"
    WRONG_NETWORK = "wrong_network"
    WRONG_ADDRESS = "wrong_address"
    MISSING_MEMO = "missing_memo"
    PAUSED = "deposits_paused"
    NOT_FOUND = "not_found"
    FAILED = "failed_on_chain"
    UNAVAILABLE = "provider_unavailable"


@dataclass
class Trace:
    verdict: str
    network: ChainNetwork
    confirmations: int | None = None
    required_confirmations: int = 0
    wait_minutes: int | None = None


def txid_matches(*, network: ChainNetwork, txid: str) -> bool:
    return bool(TXID_FORMATS[network.txid_format].match(txid))


def address_matches(*, network: ChainNetwork, address: str) -> bool:
    return bool(ADDRESS_FORMATS[network.txid_format].match(address))


def deposit_trace(*, network: ChainNetwork, txid: str, address: str = "", memo: str = "") -> Trace:
    """Look the transaction up through the network's provider and give one verdict.

    A provider that fails or times out gives "provider unavailable": never a guess.
    """
    required = network.required_confirmations
    if address and not address_matches(network=network, address=address):
        return Trace(Verdict.WRONG_NETWORK, network, required_confirmations=required)
    if network.memo_required and not memo:
        return Trace(Verdict.MISSING_MEMO, network, required_confirmations=required)
    lookups: dict[str, Callable[..., clients.ChainTransaction | None]] = {
        ChainNetwork.Provider.ESPLORA: clients.esplora_transaction,
        ChainNetwork.Provider.EVM_RPC: clients.evm_transaction,
    }
    lookup = lookups.get(network.provider)
    if lookup is None or not network.provider_url:
        return Trace(Verdict.UNAVAILABLE, network, required_confirmations=required)
    timeout = settings.CHAIN_PROVIDER_CONNECT_TIMEOUT + settings.CHAIN_PROVIDER_READ_TIMEOUT
    try:
        tx = lookup(base_url=network.provider_url, txid=txid, timeout=timeout)
    except clients.ProviderUnavailable as exc:
        logger.warning("chain provider unavailable network=%s reason=%s", network.code, exc)
        return Trace(Verdict.UNAVAILABLE, network, required_confirmations=required)
    if tx is None:
        return Trace(Verdict.NOT_FOUND, network, required_confirmations=required)
    trace = Trace(Verdict.CONFIRMED, network, tx.confirmations, required)
    if tx.failed:
        trace.verdict = Verdict.FAILED
    elif address and address.lower() not in {r.lower() for r in tx.recipients}:
        trace.verdict = Verdict.WRONG_ADDRESS
    elif not network.deposits_enabled:
        trace.verdict = Verdict.PAUSED
    elif tx.confirmations < required:
        trace.verdict = Verdict.ON_ITS_WAY
        remaining = required - tx.confirmations
        trace.wait_minutes = max(1, -(-remaining * network.block_time_seconds // 60))
    return trace
