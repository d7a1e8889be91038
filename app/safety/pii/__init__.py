"""Personal details typed into a post (e-mail, phone, street address, social handle, profile
link), found and replaced by a plain-text placeholder before anyone else sees the post.

Each rule is a regular expression followed by a small validator for what a pattern cannot
judge (digit counts, date shapes, ordinary words). Precision matters as much as recall: a
redacted dose or helpline number harms the member as much as a missed e-mail address, so
each rule says what it leaves alone. Word lists live in data/pii_words.toml and public
helplines in data/pii_public.toml. One module per kind of detail (emails, phones, addresses,
handles, links), sharing common.py; detect.py puts them together.

Speed: most of these patterns cannot be skipped through quickly by the regex engine, so each
runs only in a small window around a cheap anchor (an "@", a run of digits, ".com", a
platform name), and each anchor starts with something the engine can scan for quickly (a
literal, a digit, a non-letter); a 5,000-character post takes about a millisecond, and no
input is worse than linear.

Decisions worth knowing: redaction also applies inside Markdown code spans and blocks (a
phone number in backticks is still a phone number); "user@localhost" and other addresses
without a TLD are left alone, and so is an organisation's role mailbox at a charity,
government, NHS or university domain ("info@mind.org.uk", see data/pii_public.toml); a bare
"@name" is a Kindred @mention of a pseudonym, public on the forum, and is left alone unless a
platform is named beside it; link shorteners and personal domains are not profile links; a
US ZIP code or a UK outward code on its own is not redacted, a full UK, Canadian or Irish
postcode is.
"""

from app.safety.pii.common import PLACEHOLDERS, Redaction
from app.safety.pii.detect import find_pii, redact

__all__ = ["PLACEHOLDERS", "Redaction", "find_pii", "redact"]
