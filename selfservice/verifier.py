"""Official-channel verifier: pure functions, no database and no network.

A customer pastes a URL, e-mail address, phone number or Telegram/X handle.
``channel_normalize`` turns it into one comparable form; ``channel_check``
compares it with the registry and flags lookalikes:

* homoglyphs: the same "skeleton" as an official value (0/o, 1/l/I, rn/m,
  vv/w, Cyrillic and Greek letters that look Latin);
* an official name inside another domain or handle
  (``example-exchange.com.support-help.io``, ``example-exchange-support.com``);
* typosquats: Damerau-Levenshtein distance 1 or 2 from an official domain label
  or handle.

Only exact matches are official: a lookalike is never "probably fine".
"""

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_LENGTH = 300


class Kind:
    WEBSITE = "website"
    EMAIL = "email"
    PHONE = "phone"
    TELEGRAM = "telegram"
    X = "x"
    HANDLE = "handle"  # "@name": Telegram or X, we compare with both
    UNKNOWN = "unknown"


class Flag:
    HOMOGLYPH = "homoglyph"
    CONTAINS_OFFICIAL = "contains_official_name"
    TYPOSQUAT = "typosquat"
    IDN = "internationalised_domain"
    UNLISTED_ADDRESS = "unlisted_address_on_official_domain"


@dataclass(frozen=True)
class Normalized:
    kind: str
    value: str  # the comparable form: lower case, no www., Unicode host
    raw_form: str = ""  # the same before lower-casing (I vs l matters for skeletons)
    ascii_host: str = ""  # punycode form of a website's or e-mail's host


@dataclass
class ChannelCheck:
    normalized: Normalized
    official: bool
    matched_kind: str = ""
    matched_value: str = ""
    lookalike_of: str = ""
    flags: list[str] = field(default_factory=list)


# Letters that render like Latin ones (Unicode confusables, the part phishers use).
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "\u0430": "a",  # cyrillic small letter a
        "\u0432": "b",  # cyrillic small letter ve
        "\u0435": "e",  # cyrillic small letter ie
        "\u0451": "e",  # cyrillic small letter io
        "\u04bb": "h",  # cyrillic small letter shha
        "\u0456": "i",  # cyrillic small letter byelorussian-ukrainian i
        "\u0457": "i",  # cyrillic small letter yi
        "\u0458": "j",  # cyrillic small letter je
        "\u043a": "k",  # cyrillic small letter ka
        "\u04cf": "l",  # cyrillic small letter palochka
        "\u043c": "m",  # cyrillic small letter em
        "\u043d": "h",  # cyrillic small letter en
        "\u043e": "o",  # cyrillic small letter o
        "\u0440": "p",  # cyrillic small letter er
        "\u0441": "c",  # cyrillic small letter es
        "\u0455": "s",  # cyrillic small letter dze
        "\u0442": "t",  # cyrillic small letter te
        "\u0443": "y",  # cyrillic small letter u
        "\u0445": "x",  # cyrillic small letter ha
        "\u0501": "d",  # cyrillic small letter komi de
        "\u051b": "q",  # cyrillic small letter qa
        "\u051d": "w",  # cyrillic small letter we
        "\u044c": "b",  # cyrillic small letter soft sign
        # Greek
        "\u03b1": "a",  # greek small letter alpha
        "\u03b2": "b",  # greek small letter beta
        "\u03b5": "e",  # greek small letter epsilon
        "\u03b7": "n",  # greek small letter eta
        "\u03b9": "i",  # greek small letter iota
        "\u03ba": "k",  # greek small letter kappa
        "\u03bd": "v",  # greek small letter nu
        "\u03bf": "o",  # greek small letter omicron
        "\u03c1": "p",  # greek small letter rho
        "\u03c4": "t",  # greek small letter tau
        "\u03c5": "u",  # greek small letter upsilon
        "\u03c7": "x",  # greek small letter chi
        "\u03c9": "w",  # greek small letter omega
        # Latin look-alikes and digits
        "0": "o",
        "1": "l",
        "I": "l",
        "|": "l",
        "\u0131": "i",  # latin small letter dotless i
        "\u0261": "g",  # latin small letter script g
        "\u0251": "a",  # latin small letter alpha
        "5": "s",
        "$": "s",
    }
)
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"))

_TELEGRAM_HOSTS = {"t.me", "telegram.me", "telegram.dog"}
_X_HOSTS = {"x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"}
_X_RESERVED = {"home", "intent", "share", "search", "i", "hashtag", "explore"}
_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,32}$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{7,25}$")
_EMAIL = re.compile(r"^[^@\s/]{1,64}@[^@\s/]{1,253}$")
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "edu", "ac"}


def skeleton(text: str) -> str:
    """The text as it looks: look-alike letters folded together (case-sensitive input)."""
    text = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES).lower()
    # Strip accents: "exámple" looks like "example".
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for pair, single in _MULTI:
        text = text.replace(pair, single)
    return text


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance counting insert, delete, substitute and swap of neighbours as one."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def host_normalize(host: str) -> tuple[str, str, str]:
    """(comparable Unicode host, host before lower-casing, ASCII/punycode host).

    Trailing dots and ``www.`` go; punycode labels are decoded so that
    ``xn--…`` and the Unicode spelling compare equal.
    """
    host = host.strip().rstrip(".")
    labels = []
    for label in host.split("."):
        if label.lower().startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    raw = ".".join(labels)
    if raw.lower().startswith("www."):
        raw = raw[4:]
    unicode_host = unicodedata.normalize("NFKC", raw).lower()
    try:
        ascii_host = unicode_host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = unicode_host
    return unicode_host, raw, ascii_host


def _handle(kind: str, name: str) -> Normalized | None:
    name = name.lstrip("@").strip()
    if not _HANDLE.match(name):
        return None
    return Normalized(kind, name.lower(), raw_form=name)


def _phone(value: str) -> Normalized | None:
    if not _PHONE.match(value):
        return None
    digits = re.sub(r"\D", "", value)
    if value.startswith("00"):
        digits = digits[2:]
    if not 7 <= len(digits) <= 15:
        return None
    return Normalized(Kind.PHONE, "+" + digits, raw_form="+" + digits)


def channel_normalize(value: str) -> Normalized:
    """Classify and normalise one pasted value; UNKNOWN when it is none of ours."""
    value = unicodedata.normalize("NFKC", (value or "").strip())[:MAX_LENGTH]
    value = value.replace("\u200b", "").replace("\ufeff", "")
    if not value:
        return Normalized(Kind.UNKNOWN, "")
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if value.lower().startswith("tel:"):
        return _phone(value[4:]) or Normalized(Kind.UNKNOWN, value.lower())
    if value.startswith("@"):
        return _handle(Kind.HANDLE, value) or Normalized(Kind.UNKNOWN, value.lower())
    phone = _phone(value)
    if phone:
        return phone
    has_scheme = "://" in value
    if not has_scheme and _EMAIL.match(value):
        local, _, domain = value.rpartition("@")
        host, raw, ascii_host = host_normalize(domain)
        return Normalized(
            Kind.EMAIL, f"{local.lower()}@{host}", raw_form=f"{local}@{raw}", ascii_host=ascii_host
        )
    if not has_scheme and "." not in value and "/" not in value:
        return _handle(Kind.HANDLE, value) or Normalized(Kind.UNKNOWN, value.lower())
    try:
        parts = urlsplit(value if has_scheme else "//" + value)
        # hostname drops userinfo and port: https://okx.com@evil.io is evil.io.
        netloc_host = parts.netloc.rpartition("@")[2]
        if netloc_host.startswith("["):
            return Normalized(Kind.UNKNOWN, value.lower())
        host_raw = netloc_host.rsplit(":", 1)[0] if ":" in netloc_host else netloc_host
        path = parts.path
    except ValueError:
        return Normalized(Kind.UNKNOWN, value.lower())
    if not host_raw or " " in host_raw:
        return Normalized(Kind.UNKNOWN, value.lower())
    host, raw, ascii_host = host_normalize(host_raw)
    segments = [s for s in path.split("/") if s]
    if host in _TELEGRAM_HOSTS and segments[:1] == ["s"]:
        segments = segments[1:]  # t.me/s/<name> is the public preview of a channel
    first_segment = segments[0] if segments else ""
    if host in _TELEGRAM_HOSTS and first_segment:
        handle = _handle(Kind.TELEGRAM, first_segment)
        if handle:
            return handle
    if host in _X_HOSTS and first_segment and first_segment.lower() not in _X_RESERVED:
        handle = _handle(Kind.X, first_segment)
        if handle:
            return handle
    if "." not in host:
        return Normalized(Kind.UNKNOWN, value.lower())
    return Normalized(Kind.WEBSITE, host, raw_form=raw, ascii_host=ascii_host)


def main_label(host: str) -> str:
    """The registrable name without its suffix: example-exchange.com → example-exchange."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _host_of(n: Normalized) -> str:
    if n.kind == Kind.WEBSITE:
        return n.value
    if n.kind == Kind.EMAIL:
        return n.value.rpartition("@")[2]
    return ""


def _official_names(registry: list[Normalized]) -> tuple[set[str], set[str]]:
    """(official hosts, official handles) from the registry."""
    hosts = {_host_of(r) for r in registry if _host_of(r)}
    handles = {r.value for r in registry if r.kind in (Kind.TELEGRAM, Kind.X, Kind.HANDLE)}
    return hosts, handles


def _matches(candidate: Normalized, entry: Normalized) -> bool:
    if candidate.kind == Kind.HANDLE:
        return entry.kind in (Kind.TELEGRAM, Kind.X, Kind.HANDLE) and candidate.value == entry.value
    if candidate.kind == Kind.WEBSITE and entry.kind == Kind.WEBSITE:
        # Subdomains of an official domain are the exchange's own.
        return candidate.value == entry.value or candidate.value.endswith("." + entry.value)
    return candidate.kind == entry.kind and candidate.value == entry.value


def _lookalike(candidate: Normalized, hosts: set[str], handles: set[str]) -> tuple[str, str]:
    """(flag, official value it imitates) or ("", "")."""
    host = _host_of(candidate)
    raw_host = candidate.raw_form.rpartition("@")[2] if host else ""
    if host:
        cand_skel = skeleton(raw_host)
        cand_label = main_label(host)
        cand_label_skel = skeleton(_raw_label(raw_host))
        for official in sorted(hosts):
            label = main_label(official)
            if cand_skel == skeleton(official):
                return Flag.HOMOGLYPH, official
            if cand_label_skel == skeleton(label):
                # The same name on another suffix is the official name elsewhere.
                flag = Flag.CONTAINS_OFFICIAL if cand_label == label else Flag.HOMOGLYPH
                return flag, official
            if len(label) >= 4 and (label in host or skeleton(label) in cand_skel):
                return Flag.CONTAINS_OFFICIAL, official
            if len(label) >= 4 and (
                1 <= damerau_levenshtein(cand_label, label) <= 2
                or 1 <= damerau_levenshtein(cand_label_skel, skeleton(label)) <= 2
            ):
                return Flag.TYPOSQUAT, official
    names = set(handles)
    if candidate.kind in (Kind.TELEGRAM, Kind.X, Kind.HANDLE):
        name, raw = candidate.value, candidate.raw_form or candidate.value
        for official in sorted(names):
            if name == official:
                continue
            if skeleton(raw) == skeleton(official):
                return Flag.HOMOGLYPH, "@" + official
            if len(official) >= 4 and skeleton(official) in skeleton(raw):
                return Flag.CONTAINS_OFFICIAL, "@" + official
            if len(official) >= 4 and 1 <= damerau_levenshtein(name, official) <= 2:
                return Flag.TYPOSQUAT, "@" + official
        # A handle that imitates the website's name (@example_exchange_help).
        for official in sorted(hosts):
            label = main_label(official)
            flat = re.sub(r"[^a-z0-9]", "", skeleton(label))
            if len(flat) >= 4 and flat in re.sub(r"[^a-z0-9]", "", skeleton(raw)):
                return Flag.CONTAINS_OFFICIAL, official
    return "", ""


def _raw_label(raw_host: str) -> str:
    """main_label() on the host as typed, keeping case (for the I/l skeleton)."""
    labels = raw_host.split(".")
    lowered = [label.lower() for label in labels]
    if len(labels) >= 3 and lowered[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def channel_check(*, value: str, registry: list[tuple[str, str]]) -> ChannelCheck:
    """Official only on an exact match with the registry ((kind, value) pairs)."""
    candidate = channel_normalize(value)
    entries = [(kind, channel_normalize(raw)) for kind, raw in registry]
    normalized_entries = [
        Normalized(kind if n.kind == Kind.HANDLE else n.kind, n.value, n.raw_form, n.ascii_host)
        for kind, n in entries
        if n.kind != Kind.UNKNOWN
    ]
    check = ChannelCheck(normalized=candidate, official=False)
    if candidate.kind == Kind.UNKNOWN:
        return check
    for entry in normalized_entries:
        if _matches(candidate, entry):
            check.official = True
            check.matched_kind, check.matched_value = entry.kind, entry.value
            return check
    hosts, handles = _official_names(normalized_entries)
    host = _host_of(candidate)
    if host and candidate.ascii_host != host:
        check.flags.append(Flag.IDN)
    if candidate.kind == Kind.EMAIL and host in hosts:
        check.flags.append(Flag.UNLISTED_ADDRESS)
        check.lookalike_of = host
        return check
    flag, official = _lookalike(candidate, hosts, handles)
    if flag:
        check.flags.insert(0, flag)
        check.lookalike_of = official
    return check
