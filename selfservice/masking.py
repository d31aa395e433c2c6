"""Masks for showing personal identifiers to agents: enough to match, not to copy."""


def mask_email(value: str) -> str:
    local, _, domain = (value or "").partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_uid(value: str | None) -> str:
    if not value:
        return "—"
    if len(value) <= 4:
        return "*" * len(value)
    return f"{value[:2]}{'*' * (len(value) - 4)}{value[-2:]}"
