"""Every rule together: overlapping finds resolved, and the text redacted."""

from __future__ import annotations

import bisect
import re

from app.safety.pii.addresses import _addresses
from app.safety.pii.common import _MARKDOWN_AFTER, PLACEHOLDERS, Redaction
from app.safety.pii.emails import _emails
from app.safety.pii.handles import _handles
from app.safety.pii.links import _profile_links
from app.safety.pii.phones import _evasive_phones, _phones

# On overlap the longer span wins; on a tie, the kind listed first.
_RANK = {
    kind: rank for rank, kind in enumerate(("profile_link", "email", "phone", "address", "handle"))
}


def _lowercase(text: str) -> str:
    """A lowercase copy with the same offsets ("İ".lower() is two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_pii(text: str) -> list[Redaction]:
    low = _lowercase(text)
    found = [
        Redaction(kind, start, end)
        for finder in (
            _profile_links(text),
            _emails(text, low),
            _phones(text),
            _addresses(text, low),
            _handles(text, low),
            _evasive_phones(text, low),
        )
        for kind, start, end in finder
        if end > start
    ]
    found.sort(key=lambda r: (r.start - r.end, _RANK[r.kind], r.start))
    kept: list[Redaction] = []  # ordered by start, never overlapping
    starts: list[int] = []
    for r in found:
        i = bisect.bisect_right(starts, r.start)
        if (i > 0 and kept[i - 1].end > r.start) or (i < len(kept) and kept[i].start < r.end):
            continue
        kept.insert(i, r)
        starts.insert(i, r.start)
    # "14 Park Road, London SW1A 1AA" is found as a street and a postcode: one address.
    merged: list[Redaction] = []
    for r in kept:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.kind == r.kind == "address"
            and re.fullmatch(r"[ \t]*,?[ \t]*", text[last.end : r.start])
        ):
            merged[-1] = Redaction("address", last.start, r.end)
        else:
            merged.append(r)
    return merged


def redact(text: str) -> tuple[str, list[Redaction]]:
    redactions = find_pii(text)
    parts: list[str] = []
    pos = 0
    for r in redactions:
        placeholder = PLACEHOLDERS[r.kind]
        if text[r.end : r.end + 1] in _MARKDOWN_AFTER:
            placeholder = "\\" + placeholder
        parts += (text[pos : r.start], placeholder)
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts), redactions
