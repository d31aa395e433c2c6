"""Coarse sign-in fingerprints: a network prefix and a browser family, never more."""

import ipaddress
import re

# First match wins. Chromium-based browsers also say "Chrome/" and "Safari/",
# and Chrome itself says "Safari/", so the specific tokens come first and
# Safari, which only Safari has alone, comes last. "HeadlessChrome/" has no
# word boundary before "Chrome", so it is named on its own.
_BROWSERS = [
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(OPR|OPT|OPiOS|Opera)/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(HeadlessChrome|Chrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bSafari/")),
]
_SYSTEMS = [
    ("iOS", re.compile(r"iPhone|iPad|iPod")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux|X11")),
]


def device_family(user_agent: str) -> str:
    """ "Firefox on Linux": enough to tell a new browser or device, not to track one."""
    ua = user_agent or ""
    browser = next((name for name, rx in _BROWSERS if rx.search(ua)), "Other browser")
    system = next((name for name, rx in _SYSTEMS if rx.search(ua)), "other system")
    return f"{browser} on {system}"


def network_prefix(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network, so the raw address is never stored."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    bits = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))
