"""What an attacker reads from a page beyond its text: hidden inputs, decoded every way."""

import base64
import binascii
import contextlib
import re
import zlib
from html import unescape

HIDDEN_INPUT = re.compile(r"<input[^>]*type=\"hidden\"[^>]*>", re.IGNORECASE)
VALUE = re.compile(r"value=\"([^\"]*)\"")


def hidden_values(html: str) -> list[str]:
    """The values of every hidden input of a page."""
    values = []
    for tag in HIDDEN_INPUT.findall(html):
        found = VALUE.search(tag)
        if found:
            values.append(unescape(found.group(1)))
    return values


def decodings(value: str) -> list[str]:
    """The value as sent, and as base64 and zlib would reveal it (signed values are only encoded)."""
    found = [value]
    for part in re.split(r"[:.]", value):
        part = part.lstrip(".")
        for candidate in (part, part + "=" * (-len(part) % 4)):
            try:
                raw = base64.urlsafe_b64decode(candidate)
            except (binascii.Error, ValueError):
                continue
            found.append(raw.decode(errors="replace"))
            with contextlib.suppress(zlib.error):
                found.append(zlib.decompress(raw).decode(errors="replace"))
    return found


def hidden_text(html: str) -> str:
    """Everything the page's hidden inputs carry, decoded, as one text to search."""
    return "\n".join(text for value in hidden_values(html) for text in decodings(value))
