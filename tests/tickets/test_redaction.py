import hashlib

import pytest
from django.utils import translation

from tickets.redaction import BASE58, bip39_words, redact_secrets


@pytest.fixture(autouse=True)
def _english():
    # Placeholders are translated; an earlier test may have left another language on.
    with translation.override("en"):
        yield


SEED_12 = "abandon ability able about above absent absorb abstract absurd abuse access accident"
SEED_24 = " ".join(sorted(bip39_words())[100:124])


def _b58encode(raw: bytes) -> str:
    number = int.from_bytes(raw, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = BASE58[rem] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def wif(compressed: bool = True) -> str:
    payload = b"\x80" + bytes(range(1, 33)) + (b"\x01" if compressed else b"")
    checksum = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    return _b58encode(payload + checksum)


def test_wordlist_is_the_2048_word_bip39_list():
    words = bip39_words()
    assert len(words) == 2048
    assert {"abandon", "zoo", "satoshi"} <= words


@pytest.mark.parametrize(
    "text",
    [
        f"my seed is {SEED_12} please help",
        f"words: {SEED_24}",
        "1. abandon 2. ability 3. able 4. about 5. above 6. absent 7. absorb 8. abstract "
        "9. absurd 10. abuse 11. access 12. accident",
        SEED_12.upper().replace(" ", ", "),
    ],
)
def test_seed_phrases_are_redacted(text):
    clean, redacted = redact_secrets(text)
    assert redacted
    assert "absorb" not in clean.lower() or "accident" not in clean.lower()
    assert "[seed phrase removed]" in clean


def test_eleven_words_or_normal_english_kept():
    text = "I am able to access my account but the deposit is absent after an hour"
    assert redact_secrets(text) == (text, False)
    eleven = " ".join(SEED_12.split()[:11])
    assert redact_secrets(eleven) == (eleven, False)


def test_hex_private_key_redacted_but_txid_kept():
    key = "e" * 64
    clean, redacted = redact_secrets(f"private key {key}")
    assert redacted and key not in clean
    text = f"txid: {key}"
    assert redact_secrets(text) == (text, False)
    evm = "transaction hash 0x" + "a" * 64
    assert redact_secrets(evm) == (evm, False)


@pytest.mark.parametrize("compressed", [True, False])
def test_wif_keys_redacted(compressed):
    key = wif(compressed)
    clean, redacted = redact_secrets(f"here: {key}")
    assert redacted and key not in clean


def test_wif_shaped_string_without_checksum_kept():
    fake = "K" + "z" * 51
    assert redact_secrets(fake) == (fake, False)


@pytest.mark.parametrize(
    "text",
    [
        "my 2FA code is 123456",
        "Code: 654 321",
        "验证码 778899",
        "123456 is my google authenticator code",
    ],
)
def test_2fa_codes_next_to_keywords_redacted(text):
    clean, redacted = redact_secrets(text)
    assert redacted
    assert not any(d in clean for d in ("123456", "654 321", "778899"))


def test_other_six_digit_numbers_kept():
    text = "Order 123456 failed at 12:00 for 250000 USDT"
    assert redact_secrets(text) == (text, False)
