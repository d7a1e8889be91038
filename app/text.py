"""Normalising short single-line fields (titles, content warnings) before they are stored."""

import re
import unicodedata

# Cc/Cf cover control characters, zero-width characters and bidirectional overrides.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
_SPACES = re.compile(r"\s+")


def clean_line(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    value = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in value
        if ch in "\t\n\r" or unicodedata.category(ch) not in _INVISIBLE
    )
    return _SPACES.sub(" ", value).strip()


def has_text(value: str) -> bool:
    return any(not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE for ch in value)
