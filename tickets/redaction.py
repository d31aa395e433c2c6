"""Remove secrets customers paste into tickets before anything is saved.

Support never needs a seed phrase, a private key or a 2FA code; anyone who
reads the ticket later (agents, a leaked backup) could empty the account.
"""

import hashlib
import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

WORDLIST = Path(__file__).parent / "data" / "bip39_english.txt"
SEED_MIN_WORDS = 12
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

_WORD = re.compile(r"[A-Za-z]+")
# Separators allowed between seed words: spaces, commas, numbering ("1." "2)").
_SEPARATOR = re.compile(r"[\s,;:.)(\-\d]*")
_HEX64 = re.compile(r"(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])")
# A 64-hex string right after one of these is a transaction hash, not a key.
_TX_CONTEXT = re.compile(r"(tx|txid|txn|hash|transaction|交易|哈希)\W{0,12}$", re.IGNORECASE)
_WIF = re.compile(
    r"(?<![0-9A-Za-z])(?:5[HJK][1-9A-HJ-NP-Za-km-z]{49}|[KLc][1-9A-HJ-NP-Za-km-z]{51})(?![0-9A-Za-z])"
)
_CODE_WORDS = (
    r"(?:code|2fa|otp|totp|authenticator|verification|verify|pin|验证码|谷歌验证|动态码|校验码)"
)
_CODE_AFTER = re.compile(
    _CODE_WORDS + r"[^\d\n]{0,20}(?<!\d)(\d{3}[ -]?\d{3})(?!\d)", re.IGNORECASE
)
_CODE_BEFORE = re.compile(
    r"(?<!\d)(\d{3}[ -]?\d{3})(?!\d)[^\d\n]{0,25}" + _CODE_WORDS, re.IGNORECASE
)


@cache
def bip39_words() -> frozenset[str]:
    return frozenset(WORDLIST.read_text(encoding="utf-8").split())


def _b58decode(value: str) -> bytes:
    number = 0
    for char in value:
        number = number * 58 + BASE58.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(value) - len(value.lstrip("1"))) + raw


def _is_wif(value: str) -> bool:
    """A base58check string with a valid checksum, not just the right shape."""
    raw = _b58decode(value)
    if len(raw) not in (37, 38):
        return False
    payload, checksum = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum


def _redact_seed_phrases(text: str) -> str:
    words = bip39_words()
    matches = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    run: list[re.Match] = []

    def flush() -> None:
        if len(run) >= SEED_MIN_WORDS:
            spans.append((run[0].start(), run[-1].end()))

    for match in matches:
        joined = run and _SEPARATOR.fullmatch(text[run[-1].end() : match.start()])
        if match.group().lower() in words and (not run or joined):
            run.append(match)
            continue
        flush()
        run = [match] if match.group().lower() in words else []
    flush()
    placeholder = _("[seed phrase removed]")
    for start, end in reversed(spans):
        text = text[:start] + placeholder + text[end:]
    return text


def _redact_hex_keys(text: str) -> str:
    placeholder = _("[private key removed]")

    def replace(match: re.Match) -> str:
        if _TX_CONTEXT.search(text[max(0, match.start() - 30) : match.start()]):
            return match.group()
        return placeholder

    return _HEX64.sub(replace, text)


def redact_secrets(text: str) -> tuple[str, bool]:
    """Return the text with seed phrases, private keys and 2FA codes replaced.

    The flag says whether anything was removed, so the sender can be warned.
    """
    original = text
    text = _redact_seed_phrases(text)
    text = _redact_hex_keys(text)
    text = _WIF.sub(lambda m: _("[private key removed]") if _is_wif(m.group()) else m.group(), text)
    code = _("[code removed]")
    text = _CODE_AFTER.sub(lambda m: m.group()[: m.start(1) - m.start()] + code, text)
    text = _CODE_BEFORE.sub(lambda m: code + m.group()[m.end(1) - m.start() :], text)
    return text, text != original
