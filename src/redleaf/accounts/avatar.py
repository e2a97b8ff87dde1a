"""Generated avatars: the first letter of the display name on a colour derived from the account id.

Until media uploads exist every member gets one of these. The letter is user text inside an SVG
document, so it is XML-escaped; the colour comes from the id alone, so renaming keeps it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from html import escape

from redleaf.accounts.models import Account

# Saturated, mid-light hues that keep white text readable in light and dark mode.
_PALETTE = (
    "#ff2442",
    "#f0653a",
    "#e58a00",
    "#3aa757",
    "#11a3a0",
    "#1f8ceb",
    "#5b6cf0",
    "#8e5cf0",
    "#c94fc4",
    "#e94d8b",
    "#7a8a99",
    "#b5651d",
)


def initial(name: str) -> str:
    """The first letter a person would recognise: CJK characters stay as they are, Latin is
    upper-cased, and marks, spaces and symbols are skipped when something better follows."""
    text = unicodedata.normalize("NFC", name).strip()
    for char in text:
        if char.isalnum():
            return char.upper()
    for char in text:  # an emoji-only name keeps its first emoji
        if unicodedata.category(char)[0] not in ("C", "Z", "M"):
            return char
    return "?"


def colour(account_id: int) -> str:
    digest = hashlib.sha256(str(account_id).encode()).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def version(account: Account) -> str:
    """Changes whenever the picture would, so the URL can be cached for a year."""
    raw = f"{account.id}:{account.display_name or account.username}"
    return hashlib.sha256(raw.encode()).hexdigest()[:10]


def url(account: Account) -> str:
    return f"/u/{account.username}/avatar.svg?v={version(account)}"


def svg(account: Account) -> str:
    letter = escape(initial(account.display_name or account.username), quote=True)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96">'
        f'<rect width="96" height="96" rx="48" fill="{colour(account.id)}"/>'
        '<text x="48" y="50" dy=".35em" text-anchor="middle" fill="#fff" font-size="44" '
        "font-weight=\"600\" font-family=\"-apple-system, 'PingFang SC', 'Noto Sans CJK SC', "
        "'Microsoft YaHei', 'Segoe UI', Roboto, sans-serif\">"
        f"{letter}</text></svg>"
    )
