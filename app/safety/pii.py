"""Personal details typed into a post (e-mail, phone, street address, social handle, profile
link), found and replaced by a plain-text placeholder before anyone else sees the post.

Each rule is a regular expression followed by a small validator for what a pattern cannot
judge (digit counts, date shapes, ordinary words). Precision matters as much as recall: a
redacted dose or helpline number harms the member as much as a missed e-mail address, so
each rule says what it leaves alone. Word lists live in data/pii_words.toml and public
helplines in data/pii_public.toml.

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

from __future__ import annotations

import bisect
import itertools
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PLACEHOLDERS = {
    "email": "[email removed]",
    "phone": "[phone removed]",
    "address": "[address removed]",
    "handle": "[handle removed]",
    "profile_link": "[link removed]",
}
# Right before "(", "[" or ":", Markdown could read "[...]" as a link, a reference or a link
# definition; an escaped opening bracket keeps the placeholder plain text.
_MARKDOWN_AFTER = frozenset("([:")


@dataclass(frozen=True, slots=True)
class Redaction:
    kind: str  # a key of PLACEHOLDERS
    start: int  # offsets into the original text
    end: int


_DATA = Path(__file__).parent / "data"
_PUBLIC = tomllib.loads((_DATA / "pii_public.toml").read_text("utf-8"))
_WORDS = {
    k: frozenset(v) for k, v in tomllib.loads((_DATA / "pii_words.toml").read_text("utf-8")).items()
}

_Span = tuple[int, int]


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, longest first, as a prefix tree: the regex engine
    scans for a tree noticeably faster than for a flat list of alternatives."""
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    ends = "" in heads
    branches = [
        (r"[ \t]?" if head == " " else re.escape(head)) + _alternation(tails)
        for head, tails in sorted(heads.items())
        if head
    ]
    if not branches:
        return ""
    tree = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{tree})?" if ends else tree


def _scan(
    pattern: re.Pattern[str],
    text: str,
    accept: Callable[[re.Match[str]], _Span | None],
    pos: int = 0,
    endpos: int | None = None,
) -> Iterator[_Span]:
    """Accepted matches; after a rejection the search goes on one character later, so a
    rejected candidate cannot hide a real one that starts inside it."""
    endpos = len(text) if endpos is None else endpos
    while (m := pattern.search(text, pos, endpos)) is not None:
        span = accept(m)
        if span is None:
            pos = m.start() + 1
        else:
            yield span
            pos = max(span[1], m.start() + 1)


def _near(
    anchor: re.Pattern[str],
    haystack: str,
    text: str,
    pattern: re.Pattern[str],
    accept: Callable[[re.Match[str]], _Span | None],
    *,
    back: int,
    ahead: int,
) -> Iterator[_Span]:
    """Accepted matches of `pattern` in a window around each hit of `anchor` in `haystack`
    (the text itself, or its same-length lowercase copy)."""
    for window in _windows(anchor, haystack, back, ahead):
        yield from _scan(pattern, text, accept, *window)


def _windows(anchor: re.Pattern[str], haystack: str, back: int, ahead: int) -> Iterator[_Span]:
    return _merged((a.span() for a in anchor.finditer(haystack)), len(haystack), back, ahead)


def _merged(hits: Iterable[_Span], size: int, back: int, ahead: int) -> Iterator[_Span]:
    """Windows around the hits, overlapping ones merged, so that no character is searched
    twice however many anchors a post holds."""
    current: _Span | None = None
    for hit_start, hit_end in hits:
        start, end = max(0, hit_start - back), min(size, hit_end + ahead)
        if current is not None and start <= current[1]:
            current = current[0], max(current[1], end)
            continue
        if current is not None:
            yield current
        current = start, end
    if current is not None:
        yield current


# --- E-mail -------------------------------------------------------------------------------
# A TLD is required, so "user@localhost" and "admin@server" (code and config, not a person
# anyone can write to) are left alone; so are retina image names such as "logo@2x.png".
_AT_SIGN = re.compile(r"[@\uff20](?<=[\w.+%'-].)(?=[^\W_])")  # "@ 3pm" is no address
_EMAIL = re.compile(
    r"(?:mailto:)?(?<![^\W_]|[.+%'-])[^\W_][\w+%'-]*+(?:\.[\w+%'-]++)*+[@\uff20]"
    r"(?P<domain>(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,24})(?![^\W_]|-|\.[^\W_]|:[^\s/])",
    re.IGNORECASE,
)
_PUBLIC_EMAILS = frozenset(e.lower() for e in _PUBLIC["email"]["public"])
# Role mailboxes at charities, government, the NHS and universities ("info@mind.org.uk") are
# published contact points; the rule is written down in data/pii_public.toml.
_ROLE_MAILBOXES = frozenset(_PUBLIC["email"]["role_mailboxes"])
_PUBLIC_SUFFIXES = tuple(_PUBLIC["email"]["public_domain_suffixes"])
# "quiet@mastodon.social" written without its leading "@" is still a fediverse handle.
_FEDIVERSE = re.compile(r"\.social$|(?:^|[.-])(?:mastodon|mstdn|masto|fosstodon|hachyderm)\.")


def _is_public_email(local: str, domain: str) -> bool:
    local, domain = local.lower(), domain.lower()
    if f"{local}@{domain}" in _PUBLIC_EMAILS:
        return True
    return local in _ROLE_MAILBOXES and f".{domain}".endswith(_PUBLIC_SUFFIXES)


# Obfuscated forms: "jane dot doe at gmail dot com", "jane[at]gmail[dot]com",
# "jane (at) gmail (dot) com", "jane @ gmail.com". They must end in a common TLD. A bare
# " at " is weak evidence ("look at gmail.com"), so it also needs an obfuscated dot or a
# well-known mail provider, a local part that is not an ordinary word, or "e-mail" right
# before it ("email jane at example.org"); the local part must not be an ordinary word.
_OB_AT = r"(?:[ \t]*[\[({<][ \t]*(?:at|@)[ \t]*[\])}>][ \t]*|[ \t]+at[ \t]+|[ \t]*[@\uff20][ \t]*)"
_OB_DOT = r"(?:[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*|[ \t]+(?:dot|\.)[ \t]+|\.)"
_TLDS = _alternation(_WORDS["tlds"])
_OB_EMAIL = re.compile(
    rf"(?<![\w.+%'-])(?P<local>[\w+%'-]++(?:{_OB_DOT}[\w+%'-]++){{0,3}})(?P<at>{_OB_AT})"
    rf"(?P<domain>[\w-]++(?:{_OB_DOT}[\w-]++){{0,3}}){_OB_DOT}(?:{_TLDS})\b(?![.@-]\w)",
    re.IGNORECASE,
)
# On lowercase text. A dot with spaces must have them on both sides ("gmail . com"), or every
# sentence starting "It", "In" or "At" would open a window.
# Two patterns, each starting with something the regex engine can scan for quickly.
_OB_ANCHORS = (
    re.compile(rf"dot[ \t]+(?:{_TLDS})\b"),
    re.compile(rf"[\])}}>.](?:(?<=[ \t]\.)[ \t]|(?<=[\])}}>])[ \t]*)?(?:{_TLDS})\b"),
)
_OBFUSCATION = re.compile(r"[\s\[\](){}<>]|\bdot\b", re.IGNORECASE)
# Some sign of obfuscation near a TLD, before the window is searched (on lowercase text):
# "at" or "dot" as a word, a bracket, an "@" with a space beside it. Three patterns that
# each start with something the regex engine finds quickly.
_OB_HINTS = (
    re.compile(r"at(?<![a-z]at)(?![a-z])"),
    re.compile(r"dot(?<![a-z]dot)(?![a-z])"),
    re.compile(r"[\[({<]|[@\uff20](?:(?<=[ \t].)|(?=[ \t]))"),
)
_SAYS_EMAIL = re.compile(
    r"\b(?:e-?mail|mail|inbox|address|write(?:[ \t]+to)?|contact|reach)(?:[ \t]+(?:is|me|us))?"
    r"(?:['\u2019]s)?(?:[ \t]+at)?[ \t]*:?[ \t]*\Z",
    re.IGNORECASE,
)
_PLAIN_DOT = re.compile(_OB_DOT, re.IGNORECASE)


def _plain_email(m: re.Match[str]) -> _Span | None:
    if re.match(r"[0-9]+x\.", m["domain"], re.IGNORECASE):
        return None
    local = re.sub("^mailto:", "", m[0][: m.start("domain") - m.start() - 1], flags=re.I)
    if _is_public_email(local, m["domain"]):
        return None
    return m.span()


def _obfuscated_email(text: str, m: re.Match[str]) -> _Span | None:
    if not _OBFUSCATION.search(m[0]):
        return None  # a plain address, found by _EMAIL
    if m["at"].strip() in ("at", "At"):  # "AT" in capitals is as deliberate as "[at]"
        dotted = _OBFUSCATION.search(text, m.end("at"), m.end())
        provider = m["domain"].lower() in _WORDS["mail_providers"]
        unlike_a_word = re.search("[._0-9+]", m["local"]) is not None  # "j.smith at nhs.net"
        said = _SAYS_EMAIL.search(text, max(0, m.start() - 24), m.start())
        if not (dotted or provider or unlike_a_word or said):
            return None
        if m["local"].lower() in _WORDS["not_local_part"]:
            return None
    domain = _PLAIN_DOT.sub(".", text[m.end("at") : m.end()])
    if _is_public_email(_PLAIN_DOT.sub(".", m["local"]), domain):
        return None  # "info at mind dot org dot uk"
    return m.span()


def _plain_emails(text: str) -> Iterator[_Span]:
    """Each "@" is matched once, from where its local part can start: the start of the run of
    address characters before it, or just after a "_" in that run ("_jane@gmail.com_")."""
    done = 0
    for at in _AT_SIGN.finditer(text):
        if at.start() < done:
            continue
        first = at.start()
        while first > max(0, at.start() - 64) and (
            text[first - 1].isalnum() or text[first - 1] in "_+%'.-"
        ):
            first -= 1
        run = text[first : at.start()]
        starts = [first] + [first + i + 1 for i, c in enumerate(run) if c == "_"]
        for start in starts:
            if text[max(0, start - 7) : start].lower() == "mailto:":
                start -= 7
            m = _EMAIL.match(text, start)
            span = _plain_email(m) if m else None
            if span is not None:
                yield span
                done = span[1]
                break


def _may_be_obfuscated(text: str, low: str, start: int, end: int) -> bool:
    """Whether the window around a TLD at low[start:end] is worth searching: not a URL or a
    plain address ("nhs.uk/...", "jane@gmail.com"), and some sign of obfuscation nearby."""
    if low[start] == ".":
        lo = max(0, start - 60)
        first = 1 + max(
            text.rfind(" ", lo, start), text.rfind("\n", lo, start), text.rfind("\t", lo, start)
        )
        token = text[first : end + 1]
        if "/" in token or ("@" in token and not re.search(r"[\[({<]", token)):
            return False
    return any(hint.search(low, max(0, start - 100), end) for hint in _OB_HINTS)


# Half-written: "rach dot b dot 77 at gmail" with no ".com", "my gmail is sober.sophie.2023",
# "my email's fernie, it's a gmail". Only the big webmail providers, whose name alone says
# where the mail goes; not "I'm at gmail's office", "my gmail is full".
_WEBMAIL = (
    "gmail", "googlemail", "hotmail", "outlook", "yahoo", "ymail", "icloud", "protonmail",
    "aol", "gmx", "btinternet",
)  # fmt: skip
_WEBMAIL_WORD = _alternation(_WEBMAIL)
_HALF_EMAIL = re.compile(  # on lowercase text
    r"(?<![\w.+%'\u2019-])(?P<local>[\w+%'-]+(?:(?:[ \t]+dot[ \t]+|[._])[\w+%'-]+){0,4})"
    rf"[ \t]+at[ \t]+(?:{_WEBMAIL_WORD})(?![\w'\u2019@-]|\.\w|[ \t]+(?:dot|\.)[ \t]+\w)"
)
_HALF_ANCHOR = re.compile(rf"at[ \t]+(?:{_WEBMAIL_WORD})")
_MY_WEBMAIL = re.compile(  # on lowercase text
    rf"\bmy[ \t]+(?:{_WEBMAIL_WORD}|e-?mail)(?:[ \t]+(?:address|addy|id|username))?"
    r"(?:[ \t]+is|['\u2019]s|[ \t]*:)[ \t]*(?P<local>[\w+%'-]+(?:\.[\w+%'-]+)*)"
    rf"(?:(?P<tail>,?[ \t]+(?:it['\u2019]?s|its)[ \t]+(?:a[ \t]+|an[ \t]+|on[ \t]+)?"
    rf"(?:{_WEBMAIL_WORD}))|(?![\w@.]))"
)


def _half_emails(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    for window in _windows(_HALF_ANCHOR, low, 60, 20):
        for m in _HALF_EMAIL.finditer(low, *window):
            local = m["local"]
            if local in _WORDS["not_local_part"] or local in _WORDS["not_handle"]:
                continue
            said = _SAYS_EMAIL.search(text, max(0, m.start() - 24), m.start()) or re.search(
                r"(?:\bit['\u2019]?s|\bis|:)[ \t]*\Z", low[max(0, m.start() - 8) : m.start()]
            )
            if not (re.search("[._0-9]| dot ", local) or text[m.start()].isupper() or said):
                continue  # "work at gmail", but "Rach at gmail", "rach.b at gmail"
            yield "email", *m.span()
    if "my " in low:
        for m in _MY_WEBMAIL.finditer(low):
            local = m["local"]
            if local in _WORDS["not_handle"] or local in _WORDS["not_local_part"]:
                continue
            if m["tail"] is None and not re.search("[._0-9]", local):
                continue  # "my gmail is full"
            yield "email", *m.span("local")


def _emails(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    yield from _half_emails(text, low)
    for start, end in _plain_emails(text):
        # "@quiet@mastodon.social" is a fediverse handle, not an e-mail address.
        if start > 0 and text[start - 1] == "@" and (start < 2 or not text[start - 2].isalnum()):
            yield "handle", start - 1, end
        elif _FEDIVERSE.search(low[max(text.rfind("@", start, end), start) : end]) or re.search(
            "mastodon|fediverse", low[max(0, start - 40) : start]
        ):
            yield "handle", start, end  # "my mastodon is fern@mas.to"
        else:
            yield "email", start, end
    accept = lambda m: _obfuscated_email(text, m)  # noqa: E731
    hits = sorted(
        a.span()
        for anchor in _OB_ANCHORS
        for a in anchor.finditer(low)
        if _may_be_obfuscated(text, low, a.start(), a.end())
    )
    for window in _merged(hits, len(text), 100, 24):
        for start, end in _scan(_OB_EMAIL, text, accept, *window):
            yield "email", start, end


# --- Phone --------------------------------------------------------------------------------
# A loose pattern finds digit groups joined by one space, dot or dash (or in parentheses);
# _phone_shape decides. Never a phone: a run glued to a word, a currency sign, a decimal
# point or "/" (doses, money, URLs, 12/03/2024), anything followed by a letter or "%"
# (0.5mg, 7.45am, 50%), and fewer than nine digits (eight after a "+") unless the words just
# before say it is a number ("call me on 5551234"). Known misses: numbers written in words,
# numbers split by "/", seven-digit local numbers with no such words before them.
# The look-behind sits after the first digit so the regex engine can still skip to digits.
_PHONE_REGION = re.compile(r"[0-9](?<![0-9][0-9])[0-9 \t\u00a0().\-\u2013]{5,}[0-9]")
_PHONE = re.compile(
    r"(?:(?:tel|callto|sms):(?://)?[ \t]?)?(?<![^\W_]|[+\-\u2013.,/$£€¥#=?&@\\])(?:\+[ \t]?)?"
    r"(?:\([0-9]{1,5}\)|[0-9]++)"
    r"(?:[ \t\u00a0]?[.\-\u2013]?[ \t\u00a0]?(?:\([0-9]{1,5}\)|[0-9]++)){0,7}"
    r"(?![^\W_]|%|[.,\-\u2013/:][^\W_])",
    re.IGNORECASE,
)
_YEAR = re.compile("(?:19|20)[0-9]{2}")
_SCHEME = re.compile(r"(?:tel|callto|sms):(?://)?[ \t]?", re.IGNORECASE)
_GROUP = re.compile(r"\(?[0-9]+\)?")
_SEP = r"[ \t]?[.\-\u2013]?[ \t]?"
_NANP = re.compile(rf"(?:1{_SEP})?(?:\([0-9]{{3}}\)|[0-9]{{3}}){_SEP}[0-9]{{3}}{_SEP}[0-9]{{4}}")
_DATE_START = re.compile(
    r"[0-9]{4}[.\-\u2013][0-9]{1,2}[.\-\u2013][0-9]{1,2}"
    r"|[0-9]{1,2}[.\-\u2013][0-9]{1,2}[.\-\u2013](?:[0-9]{4}|[0-9]{2}(?![.\-\u2013]))"
)
_PHONE_CONTEXT = re.compile(
    r"(?:\b(?:call|calling|text|txt|ring|phone|telephone|mobile|mob|cell|tel|ph|number|num|"
    r"digits|landline|whatsapp|sms|reach|contact|viber|hmu|hit[ \t]+me[ \t]+up|"
    r"(?:message|msg|signal|dm)[ \t]+me)\b|\bno\.)[^\n\d]{0,20}$",
    re.IGNORECASE,
)
# Two-digit country codes; other codes starting 2-9 have three digits, 1 and 7 have one.
_CC2 = frozenset(
    str(cc)
    for cc in (20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52,
               53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92,
               93, 94, 95, 98)
)  # fmt: skip
_NANP_FREE = ("800", "833", "844", "855", "866", "877", "888")


def _national(number: str) -> tuple[str | None, str]:
    """(country code or None, national significant number) of a written phone number."""
    number = _SCHEME.sub("", number, count=1)
    digits = re.sub("[^0-9]", "", number)
    intl = number.startswith("+")
    if not intl and digits.startswith("00") and len(digits) > 10:
        intl, digits = True, digits[2:]
    if intl and digits:
        size = 1 if digits[0] in "17" else 2 if digits[:2] in _CC2 else 3
        return digits[:size], digits[size:].removeprefix("0")
    if len(digits) == 11 and digits[0] == "1":
        return None, digits[1:]
    return None, digits.removeprefix("0")


_PUBLIC_NUMBERS = frozenset(
    _national(n)[1] for line in _PUBLIC["helpline"] for n in line["numbers"]
)


def _is_public_number(number: str) -> bool:
    """A listed helpline, or a freephone range (organisations, never a person's own line).
    UK 0300 is not treated as a range: it is also Pakistan's mobile prefix."""
    cc, nsn = _national(number)
    if nsn in _PUBLIC_NUMBERS:
        return True
    if cc in (None, "1") and len(nsn) == 10 and nsn.startswith(_NANP_FREE):
        return True
    written = re.sub("[^0-9]", "", number)
    if cc is None and written.startswith(("0800", "0808")):
        return True
    if cc is None and len(written) == 11 and written.startswith(("084", "087")):
        return True  # UK non-geographic lines: businesses and services
    if cc in ("44", "64", "49", "31", "33") and nsn.startswith(("800", "808")):
        return True
    return len(nsn) in (9, 10) and nsn.startswith(("1800", "1300")) and cc in (None, "61", "353")


def _phone_shape(number: str, *, loose: bool) -> bool:
    core = _SCHEME.sub("", number, count=1)
    groups = re.findall("[0-9]+", core)
    digits = "".join(groups)
    if core.startswith("+"):
        return 8 <= len(digits) <= 15 and digits[0] != "0"
    if digits.startswith("00") and digits[2:3] != "0":
        return 10 <= len(digits) <= 17
    seps = re.findall("[^0-9()]+", core.strip("()"))
    if any("." in s for s in seps) and any(" " in s for s in seps):
        return False  # "01.02.24 10.30" is a date and a time
    if _DATE_START.match(core):
        return False
    if _NANP.fullmatch(core):
        return True
    if len(groups) == 1 and (
        (len(digits) == 10 and digits[0] != "1") or (len(digits) == 11 and digits[0] in "01")
    ):
        return True
    if (
        core.lstrip("(").startswith("0")
        and 9 <= len(digits) <= 12
        and len(groups) <= 6
        and all(len(g) >= 2 for g in groups)
        and groups[0] != "000"
    ):
        return True
    # The looser rule still wants a number, not a list of years ("the text: 2019 2020 2021").
    return loose and 7 <= len(digits) <= 15 and not all(_YEAR.fullmatch(g) for g in groups)


def _best_phone(text: str, m: re.Match[str]) -> _Span | None:
    """The longest run of whole groups in the candidate that is a phone number. A run may
    start or end only where groups are separated by whitespace, so "2 times" after a number
    or "day 3" before it can be shed but "1.000.000" is never cut into a phone."""
    candidate = m[0]
    groups = [g.span() for g in _GROUP.finditer(candidate)]
    sizes = [e - s - candidate.count("(", s, e) - candidate.count(")", s, e) for s, e in groups]
    if len(groups) > 8 or sum(sizes) < 7:
        return None
    gaps = [candidate[a[1] : b[0]].isspace() for a, b in itertools.pairwise(groups)]
    # At most three groups are shed at either end, which bounds the work on a digit-heavy post.
    starts = ([0] + [i + 1 for i, gap in enumerate(gaps) if gap])[:4]
    ends = ([i for i, gap in enumerate(gaps) if gap] + [len(groups) - 1])[-4:]
    # A number's own shape beats the looser "the words before say it is a number" rule.
    best: _Span | None = None
    for loose in (False, True):
        if loose and not _PHONE_CONTEXT.search(text, max(0, m.start() - 32), m.start()):
            break
        for i in starts:
            for j in ends:
                s, e = 0 if i == 0 else groups[i][0], groups[j][1]
                if j < i or (best is not None and e - s <= best[1] - best[0]):
                    continue
                digits = sum(sizes[i : j + 1])
                if not (7 if loose else 8) <= digits <= 17:
                    continue
                if not loose and digits not in (10, 11) and candidate[s] not in "+0(tTcCsS":
                    continue  # only a NANP number may start with 1-9 and no "+"
                if _phone_shape(candidate[s:e], loose=loose):
                    best = s, e
        if best is not None:
            break
    if best is None or _is_public_number(candidate[best[0] : best[1]]):
        return None
    return m.start() + best[0], m.start() + best[1]


# An order, reference, tracking, booking, case or invoice number is no phone ("order number
# 4451-2279"), whatever the word "number" before it suggests.
_REFERENCE_BEFORE = re.compile(
    r"\b(?:order|reference|ref|tracking|booking|case|invoice|confirmation|ticket|claim|"
    r"receipt|transaction|policy|membership|serial|parcel|shipment|reservation)"
    r"(?:[ \t]+(?:no\.?|number|num|nr|#|id|code|ref))?[ \t]*(?:is|was|[#:=])?[ \t]*#?\Z",
    re.IGNORECASE,
)
# Written to get past a filter: one digit at a time with single spaces ("0 7 7 0 0 9 0 0 1
# 2 3"), or in words ("oh seven seven double oh nine ..."). Taken at nine digits or more,
# never a plain count ("1 2 3 4 5 6 7 8 9", "one two three ... nine").
_SPACED_DIGITS = re.compile(
    r"(?:\+[ \t]?)?[0-9](?<![\w.,/+-][0-9])(?:[ \t][0-9]){8,15}(?![ \t]?[0-9]|[\w.,/%-][0-9\w])"
)
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_DIGIT_WORD = _alternation(_DIGIT_WORDS)
_SPELLED_TOKEN = rf"(?:(?:double|triple)[ \t-]+)?(?:{_DIGIT_WORD})"
_SPELLED_PHONE = re.compile(  # on lowercase text
    rf"(?<![a-z'\u2019-])(?:plus[ \t]+)?{_SPELLED_TOKEN}"
    rf"(?:(?:[ \t]*,[ \t]*|[ \t]+|-){_SPELLED_TOKEN}){{3,20}}(?![a-z'\u2019])"
)
# Two digit words in a row (on lowercase text); a hit inside a word ("phone one") is dropped.
_SPELLED_ANCHOR = re.compile(
    rf"(?:{_DIGIT_WORD})(?:[ \t]*,[ \t]*|[ \t]+|-){_SPELLED_TOKEN}(?![a-z])"
)


def _is_count(digits: str) -> bool:
    """ "123456789", "987654321", "000000000": counting, not a number."""
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return len(steps) == 1 and steps <= {0, 1, 9}


def _spelled_digits(words: str) -> str:
    out = []
    for token in re.findall(r"double|triple|plus|[a-z]+", words):
        if token in ("double", "triple"):
            out.append(token)
        elif token in _DIGIT_WORDS:
            times = 1
            if out and out[-1] in ("double", "triple"):
                times = 2 if out.pop() == "double" else 3
            out.append(_DIGIT_WORDS[token] * times)
    return "".join(d for d in out if d.isdigit())


def _evasive_phones(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    if re.search("[0-9][ \t][0-9][ \t][0-9]", text):
        for m in _SPACED_DIGITS.finditer(text):
            digits = re.sub("[^0-9]", "", m[0])
            if _is_count(digits) or _REFERENCE_BEFORE.search(
                text, max(0, m.start() - 40), m.start()
            ):
                continue
            context = _PHONE_CONTEXT.search(text, max(0, m.start() - 32), m.start())
            number = ("+" if m[0][0] == "+" else "") + digits
            if (m[0][0] in "+0" or context or len(digits) >= 10) and not _is_public_number(number):
                yield "phone", *m.span()
    hits = (
        a.span()
        for a in _SPELLED_ANCHOR.finditer(low)
        if not low[a.start() - 1 : a.start()].isalpha()
    )
    for window in _merged(hits, len(low), 12, 200):
        for m in _SPELLED_PHONE.finditer(low, *window):
            digits = _spelled_digits(m[0])
            if 9 <= len(digits) <= 15 and not _is_count(digits):
                yield "phone", *m.span()


def _phones(text: str) -> Iterator[tuple[str, int, int]]:
    # Candidates do not overlap: _best_phone already tries every run of groups inside one.
    done = 0
    for region in _PHONE_REGION.finditer(text):
        window = max(done, region.start() - 12), min(len(text), region.end() + 3)
        for m in _PHONE.finditer(text, *window):
            if m.start() >= region.end():
                break  # the next region's, seen through the look-ahead margin
            done = m.end()
            if _REFERENCE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                continue
            span = _best_phone(text, m)
            if span is not None:
                yield "phone", *span


# --- Street address -----------------------------------------------------------------------
# A house number is required: "I walked down Main Street" is not an address. English: a
# number, 1-3 capitalised name words and a street type ("42 Elm Street", "221B Baker St"),
# or all lowercase with an unambiguous type ("42 elm street"); then optionally a direction,
# a flat or unit, ", Town" and "ST 12345". Known false positive: a capitalised phrase that
# ends in a street type ("2 Family Court hearings").
_UP = "A-ZÀ-ÖØ-Þ"
_WORD = r"[\w'\u2019-]+"
_CAPITALISED = rf"[{_UP}][\w'\u2019-]*"
_UNIT = (
    r"(?:(?i:flat|apt|apartment|unit|suite|ste|room|level|lvl|floor|shop)\.?[ \t]*#?"
    r"[0-9]{1,4}[A-Za-z]?|#[0-9]{1,4}[A-Za-z]?)"
)
_NUMBER = r"(?<![\w$£€¥#.,/+-])[0-9]{1,5}[A-Za-z]?(?:[-\u2013/][0-9]{1,5}[A-Za-z]?)?"
_NUMBER_ANCHOR_TEMPLATE = (
    r"[0-9](?<![0-9][0-9])[0-9]{{0,4}}+[A-Za-z]?(?:[-\u2013/][0-9]{{1,5}}+[A-Za-z]?)?,?[ \t]++"
    # What may follow: a capital, an ordinal, a lowercase street or a French-style type.
    r"(?=[{up}]|[0-9]{{1,3}}(?:st|nd|rd|th)\b|(?i:{french}|bis|ter)\b"
    r"|(?:[a-z][a-z'\u2019-]+[ \t]+){{1,2}}(?:{lower})\b)"
)
_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Close|Place|Pl|Crescent|Cres|Way|"
    "Terrace|Tce|Boulevard|Blvd|Grove|Gardens|Gdns|Square|Sq|Hill|Park|Parkway|Pkwy|Circle|"
    "Cir|Mews|Row|Walk|Rise|View|Highway|Hwy|Trail|Green|Parade|Quay|Wharf|Vale|Heights|"
    "Loop|Alley|Pike|Causeway|Esplanade|Embankment"
)
_TYPES_LOWER = "street|st|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|crescent|terrace"
_STATE_ZIP = r"[A-Z]{2,3}[ \t]+[0-9]{4,5}(?:-[0-9]{4})?\b"  # "IL 62704", "NSW 2000"
_CITY_END = (
    r"(?=[ \t]*(?:[,.;:!?)\r\n]|$)|[ \t]+[A-Z0-9]{2,4}[ \t][0-9][A-Z]{2}\b"
    rf"|,?[ \t]+{_STATE_ZIP})"
)
_TOWN = rf"{_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,2}}"  # "Ballsbridge, Dublin 4"
_EN_ADDRESS = re.compile(
    rf"{_NUMBER},?[ \t]+"
    rf"(?:(?P<cap>(?:(?:{_CAPITALISED}|[0-9]{{1,3}}(?:st|nd|rd|th))[ \t]+){{1,3}}"
    rf"(?:{_TYPES}|{_TYPES_LOWER}))"
    rf"|(?P<low>(?:[a-z][a-z'\u2019-]+[ \t]+){{1,2}}(?:{_TYPES_LOWER})))\b"
    r"(?:\.(?=,|[ \t]+(?i:apt|apartment|flat|unit|suite|ste|#)))?"
    r"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW|Upper|Lower)\b)?"
    rf"(?:,?[ \t]+{_UNIT}\b)?"
    # A town may carry a postal district: "Dublin 2", "Dublin 6W", "Manchester 4".
    rf"(?:,[ \t]*(?P<city>{_TOWN}(?:,[ \t]*{_TOWN})?)"
    r"(?:[ \t]+[0-9]{1,2}W?|[ \t]+[0-9]{4}(?=[ \t]*(?:[,.;:!?)\r\n]|$))|,?[ \t]+[1-9][0-9]{5}\b)?"
    rf"{_CITY_END})?"
    rf"(?:,?[ \t]+{_STATE_ZIP})?"
)
_UNIT_BEFORE = re.compile(rf"(?<![\w-]){_UNIT},?[ \t]+$")
# "Unit 4/10 High St": the unit is the number before the "/".
_UNIT_WORD_BEFORE = re.compile(r"(?<![\w-])(?i:flat|apt|apartment|unit|suite|ste)\.?[ \t]*$")
# French and other "number first" forms: "14 rue de la Paix", "5 avenue Victor Hugo".
_FR_TYPES = (
    "rue", "avenue", "av.", "bd", "boulevard", "allée", "allee", "impasse", "chemin", "quai",
    "place", "cours", "route", "passage", "square", "rua", "carrer", "calle",
)  # fmt: skip
_FR_START = (*(t[:2] for t in _FR_TYPES), "bis", "ter")
_NUMBER_ANCHOR = re.compile(
    _NUMBER_ANCHOR_TEMPLATE.format(up=_UP, lower=_TYPES_LOWER, french=_alternation(_FR_TYPES))
)
_FR_JOIN = (
    r"(?i:de[ \t]+la|de[ \t]+l['\u2019]|du|des|de|d['\u2019]|la|le|les|l['\u2019]|del|do|da|dos|"
    r"et|sur|sous)"
)
_FR_ADDRESS = re.compile(
    rf"{_NUMBER}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?i:{_alternation(_FR_TYPES)})[ \t]+"
    rf"(?:{_FR_JOIN}[ \t]*{_WORD}|{_CAPITALISED})"
    rf"(?:[ \t]+(?:{_FR_JOIN}[ \t]*)?{_CAPITALISED}){{0,3}}"
    rf"(?:,?[ \t]+[0-9]{{4,5}}[ \t]+{_CAPITALISED})?"
)
# German, Dutch, Scandinavian and Finnish "street, number": "Hauptstraße 5", "Berliner
# Straße 12a", "Kalverstraat 92", "Storgatan 3", "Vesterbrogade 12", "Mannerheimintie 5",
# "Karl Johans gate 1", optionally followed by ", 10115 Berlin" or "111 22 Stockholm". The
# suffixes are ones no English word ends in before a number ("gate" alone would take
# "Watergate 2", "tie" alone "Hottie 2").
_DE_SUFFIXES = (
    "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "damm", "ufer", "chaussee",
    "steig", "pfad", "straat", "laan", "gracht", "plein", "dijk", "singel", "kade", "markt",
    "steeg", "burgwal", "gatan", "gata", "vägen", "väg", "gränd", "torget", "torg", "gade",
    "vej", "veien", "vei", "vegen", "stræde", "straede", "plads", "plass", "allé", "katu",
    "ntie", "kuja", "vejen", "gaden", "torvet", "pladsen", "plassen",
)  # fmt: skip
_DE_SUFFIX = _alternation(_DE_SUFFIXES)
# A one-word street may carry an adjective: "Oudezijds Voorburgwal 14", "Alte Gasse 3".
_DE_ADJECTIVES = (
    "(?:Oude|Oudezijds|Nieuwezijds|Nieuwe|Lange|Korte|Grote|Kleine|Hoge|Lage|Achter|Noord|"
    "Zuid|Oost|West|Sint|Alte|Neue|Große|Grosse|Hohe|Obere|Untere|Vordere|Hintere|Gamla|Nya|"
    "Store|Lille|Nørre|Søndre|Vester|Øster)"
)
# Norwegian and Danish write the type as a word after a genitive: "Karl Johans gate 1".
_NORDIC_TYPES = ("gate", "gata", "gatan", "vei", "veg", "vej", "gade", "plass", "plads", "torg")
_NORDIC_TYPE = _alternation(_NORDIC_TYPES)
# Such an address ends in a number after a word: scanning for numbers and looking behind
# each for the endings is far faster than scanning the text for a list of suffixes.
_DE_ENDINGS = _DE_SUFFIXES + tuple(f"s {t}" for t in _NORDIC_TYPES)
_DE_NUMBER = re.compile(  # on lowercase text; then checked with str.endswith
    "[0-9](?<=(?:"
    + "|".join(sorted({re.escape(ending[-3:]) for ending in _DE_ENDINGS}))
    + r")[ \t][0-9])"
)
_POSTCODE_TOWN = (
    rf"(?:,?[ \t]+(?:[0-9]{{4,5}}(?:[ \t]?[A-Z]{{2}})?|[0-9]{{3}}[ \t][0-9]{{2}})"
    rf"[ \t]+[{_UP}][\w-]+)?"
)
_DE_ADDRESS = re.compile(
    rf"(?<![\w-])(?:(?:{_DE_ADJECTIVES}[ \t]+)?[{_UP}][\w-]+?(?:{_DE_SUFFIX})"
    r"|(?i:[\w-]+(?:straße|strasse))"
    rf"|{_CAPITALISED}[ \t]+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ufer)"
    rf"|(?:{_CAPITALISED}[ \t]+){{0,2}}[{_UP}][\w'\u2019-]*s[ \t]+{_NORDIC_TYPE})"
    r"[ \t]+[0-9]{1,4}[a-zA-Z]?(?:[ \t]?[-/][ \t]?[0-9]{1,4}[a-z]?)?(?![\w%])" + _POSTCODE_TOWN
)
# Streets named by a phrase, not a suffix: German "Unter den Linden 5", "An der Alster 12",
# "Am Markt 3", "Zur Linde 2"; Dutch "Laan van Meerdervoort 12", "Weg naar de Zee 4". "Im"
# and "In der" are left out ("Im" is also "I'm" without its apostrophe, "In" starts English
# sentences). Known false positive: German prose such as "Am Ende 5 Tage". The anchor is a
# flat list of words, which the regex engine scans for fastest; _addresses narrows its hits.
_PHRASE_ANCHOR = re.compile(
    "(?:Unter|An|Auf|Hinter|Vor|Bei|Zu|Über|Neben|Alt|Am|Zum|Zur|Laan|Plein|Kade|Weg|Straat|"
    "Dijk|Gracht|Singel|Markt|Steeg|Burgwal)[ \t]"
)
_ARTICLES = ("den ", "der ", "dem ", "die ", "das ")
_PHRASE_ADDRESS = re.compile(
    r"(?<![\w-])(?:(?:Unter|An|Auf|Hinter|Vor|Bei|Zu|Über|Neben|Alt)[ \t]+"
    r"(?:den|der|dem|die|das)|Am|Zum|Zur"
    r"|(?:Laan|Plein|Kade|Weg|Straat|Dijk|Gracht|Singel|Markt|Steeg|Burgwal)[ \t]+"
    r"(?:van|naar|op|aan|bij|in|over|achter|ten|ter|te)(?:[ \t]+(?:de|der|den|het|'t))?)"
    rf"[ \t]+(?P<name>[{_UP}][\w'\u2019-]+(?:[ \t]+{_CAPITALISED})?)"
    r"[ \t]+[0-9]{1,4}[a-zA-Z]?(?![\w%])" + _POSTCODE_TOWN
)
# Italian, Spanish, Portuguese, Catalan "type, name, number": "Via Roma 10", "Calle Mayor
# 12", "Rua Augusta, 100". The type must be capitalised: a lowercase "via" is English.
_LATIN_TYPES = (
    "Via|Viale|Piazza|Piazzale|Corso|Vicolo|Largo|Calle|C/|Avenida|Avda\\.?|Paseo|Plaza|"
    "Plaça|Carrer|Rua|Travessa|Praça|Rambla|Camino|Ronda|Carretera|Rue|Chemin|Boulevard|"
    "Allée|Impasse|Quai|Avenue"
)
_ROMAN = re.compile("[IVXLC]+")
_LATIN_ANCHOR = re.compile(rf"(?:{_LATIN_TYPES})[ \t]")
_LATIN_JOIN = (
    r"(?i:de|del|della|delle|dei|degli|di|da|do|dos|das|la|las|los|el|lo|e|y|i|des|du|le|les)"
)
_LATIN_ADDRESS = re.compile(
    rf"(?<![\w-])(?:{_LATIN_TYPES})[ \t]+(?:{_LATIN_JOIN}[ \t]+){{0,2}}"
    rf"(?P<name>{_CAPITALISED}(?:[ \t]+(?:{_LATIN_JOIN}[ \t]+)?{_CAPITALISED}){{0,3}})"
    r",?[ \t]*(?:(?i:nº|n\.?º|no\.|núm\.|num\.|n\.)[ \t]*)?[0-9]{1,4}[a-zA-Z]?(?![\w%])"
    rf"(?:,?[ \t]+[0-9]{{4,5}}[ \t]+{_CAPITALISED}(?:[ \t]+{_CAPITALISED})?)?"  # "1000 Bruxelles"
)
# A full UK or Canadian postcode narrows a home to a handful of doors, so it is redacted on
# its own. Outward codes ("SW1A", "M1") and US ZIP codes alone are not (a ZIP covers tens
# of thousands of people); a ZIP is taken only as part of a street address. The first
# letter comes before the look-behind so the regex engine can skip ahead quickly.
_UK_POSTCODE = re.compile(
    r"(?:[A-PR-UWYZ](?<![\w-].)[A-HK-Y]?[0-9][A-Z0-9]?|G(?<![\w-].)IR)[ \t\u00a0]"
    r"(?![0-9][GT]B\b)[0-9][ABD-HJLNP-UW-Z]{2}(?![\w-])"  # not "MP3 4GB"
)
_INWARD_CODE = re.compile(r"[0-9][A-Z][A-Z0-9](?![\w-])")  # cheap test for either
# Written in lowercase or without its space ("sw1a 1aa", "SW1A1AA"), a postcode is taken
# after the word "postcode" or right after a street address (with its town between); run
# together in capitals, it is taken on its own when it is six or seven characters long.
_LOOSE_POSTCODE = re.compile(
    r"(?i:[A-PR-UWYZ](?<![\w-].)[A-HK-Y]?[0-9][A-Z0-9]?[ \t\u00a0]?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|G(?<![\w-].)IR[ \t]?0AA)(?![\w-])"
)
_JOINED_POSTCODE = re.compile(
    r"(?:[A-PR-UWYZ](?<![\w-].)[A-HK-Y][0-9][A-Z0-9]?|[A-PR-UWYZ](?<![\w-].)[0-9][A-Z0-9])"
    r"[0-9][ABD-HJLNP-UW-Z]{2}(?![\w-])"
)
_POSTCODE_WORD = re.compile(
    r"\b(?:post[ \t]?code|postal[ \t]+code|zip(?:[ \t]?code)?|eircode)\b[^\n\d]{0,16}\Z"
)
_TOWN_BETWEEN = re.compile(r"[ \t]*,?[ \t]*(?:[A-Za-z][\w'-]*[ \t]*,?[ \t]*){0,2}")
# An Irish Eircode ("D02 X285") points to one building. The four-character part must mix
# letters and digits, so "A12 BCDE" or a model number is left alone.
# It is scanned for from its first digit, which the regex engine finds fastest.
_EIRCODE = re.compile(
    r"[0-9](?:(?<=[AC-FHKNPRTV-Y][0-9])(?<![\w-]..)[0-9]|(?<=D6)(?<![\w-]..)W)[ \t]?"
    r"(?=[0-9]{0,3}[AC-FHKNPRTV-Y])(?=[AC-FHKNPRTV-Y]{0,3}[0-9])[0-9AC-FHKNPRTV-Y]{4}(?![\w-])"
)
_CA_POSTCODE = re.compile(
    r"[ABCEGHJ-NPRSTVXY](?<![\w-].)[0-9][ABCEGHJ-NPRSTV-Z][ \t\u00a0][0-9][ABCEGHJ-NPRSTV-Z][0-9]"
    r"(?![\w-])"
)
_PO_BOX = re.compile(
    r"(?<!\w)(?i:p\.?[ \t]?o\.?[ \t]+box|post[ \t]+office[ \t]+box)[ \t]+[0-9]{1,6}\b"
)
# "bus 42 Park Road" is a bus, "Day 12 Recovery Road" a day, "Sept 11 Memorial Park" a date.
_COUNTED_BEFORE = re.compile(
    r"\b(?i:room|ward|bus|bed|day|step|level|floor|page|chapter|platform|gate|terminal|exit|"
    r"junction|route|line|aged?|score|of|x|psalm|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|"
    r"nov|dec|january|february|march|april|june|july|august|september|october|november|"
    r"december)\.?[ \t]*$"
)
_YEAR_BEFORE = re.compile(r"\b(?i:since|in|from|until|till|by|before|after|of)[ \t]+$")
_UNIT_AFTER = re.compile(
    r"[ \t]*(?i:days?|hours?|hrs?|minutes?|mins?|weeks?|months?|years?|times?|people|mg|ml|"
    r"kg|%|pm|am|euros?|nights?|€)\b"
)


def _counted(text: str, start: int) -> bool:
    return _COUNTED_BEFORE.search(text, max(0, start - 12), start) is not None


def _english_address(text: str, m: re.Match[str]) -> _Span | None:
    if _counted(text, m.start()):
        return None
    year = re.match("(?:19|20)[0-9]{2}[ \t]", m[0])
    if year and _YEAR_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return None  # "since 2019 Main Street has changed"
    if m["low"] is not None:
        if any(w in _WORDS["not_street_name"] for w in m["low"].split()[:-1]):
            return None
    elif any(w in _WORDS["not_street_caps"] for w in m["cap"].split()[:-1]):
        return None
    start, end = m.span()
    if m["city"] is not None and m["city"].split()[0] in _WORDS["not_city"]:
        end = m.start("city") - 1
        while text[end - 1] in " \t,":
            end -= 1
    unit = _UNIT_BEFORE.search(text, max(0, start - 24), start)
    if unit is None and re.match(r"[0-9]+[A-Za-z]?[/-]", m[0]):
        unit = _UNIT_WORD_BEFORE.search(text, max(0, start - 12), start)
    return (start if unit is None else unit.start()), end


# Indian: "no. 47 Nehru Nagar, Sector 9, Chandigarh 160009", "flat 302, Sai Residency,
# Andheri West, Mumbai 400053", "H.No. 12-3-45, Banjara Hills, Hyderabad": a house, flat or
# plot number, then named parts, ending in a six-digit PIN code (or, after "H.No.", a
# hyphenated municipal number, which is an address on its own).
_IN_PART = (
    rf"(?:{_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,3}}"
    r"|(?i:sector|phase|block)[ \t]+[0-9A-Z]{1,3})"
)
_IN_ADDRESS = re.compile(
    r"(?<![\w.])(?i:h\.?[ \t]?no\.?|house[ \t]+no\.?|door[ \t]+no\.?|plot[ \t]+no\.?|"
    r"flat[ \t]+no\.?|no\.|flat|plot)[ \t]*"
    r"(?P<num>[0-9]{1,5}[A-Za-z]?(?:[-/][0-9]{1,5}[A-Za-z]?){0,3})"
    rf"(?P<rest>(?:,?[ \t]+{_IN_PART}){{1,6}}?,?[ \t]+[1-9][0-9]{{2}}[ \t]?[0-9]{{3}}(?![\w-]))?"
)
_IN_ANCHOR = re.compile(r"(?:no\.|flat|plot)[ \t]*[0-9]")


def _indian_addresses(text: str, low: str) -> Iterator[_Span]:
    done = 0
    for a in _IN_ANCHOR.finditer(low):
        for start in range(max(done, a.start() - 8), a.start() + 1):  # "h.no.", "house no."
            m = _IN_ADDRESS.match(text, start)
            if m is not None:
                if m["rest"] is not None or re.fullmatch("[0-9]+(?:-[0-9]+){2,3}", m["num"]):
                    done = m.end()
                    yield m.span()
                break


def _addresses(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    yield from (("address", *span) for span in _indian_addresses(text, low))
    done = 0
    found: list[_Span] = []
    for a in _NUMBER_ANCHOR.finditer(text):
        if a.start() < done:
            continue
        m = _EN_ADDRESS.match(text, a.start())
        span = _english_address(text, m) if m else None
        if (
            span is None
            and low.startswith(_FR_START, a.end())
            and (m := _FR_ADDRESS.match(text, a.start()))
            and not _counted(text, m.start())
        ):
            span = m.span()
        if span is not None:
            found.append(span)
            done = span[1]
    whole = lambda m: m.span()  # noqa: E731
    numbers = (n.start() - 1 for n in _DE_NUMBER.finditer(low))
    hits = [(i, i + 1) for i in numbers if low.endswith(_DE_ENDINGS, max(0, i - 12), i)]
    for window in _merged(hits, len(text), 60, 40):
        found += _scan(_DE_ADDRESS, text, whole, *window)

    def phrase(m: re.Match[str]) -> _Span | None:
        if _UNIT_AFTER.match(text, m.end()) or m["name"].split()[0] in _WORDS["not_street_caps"]:
            return None  # "Am Day 5 now"
        return m.span()

    hits = [
        h.span()
        for h in _PHRASE_ANCHOR.finditer(text)
        if not text[h.start() - 1 : h.start()].isalnum()
        and (
            text[h.end() : h.end() + 1].isupper()  # "Am Markt"
            or low.startswith(_ARTICLES, h.end())  # "Unter den"
            or text[h.end() : h.end() + 1].islower()  # "Laan van"
        )
    ]
    for window in _merged(hits, len(text), 1, 90):
        found += _scan(_PHRASE_ADDRESS, text, phrase, *window)

    def latin(m: re.Match[str]) -> _Span | None:
        if _UNIT_AFTER.match(text, m.end()) or any(
            w.isupper() and len(w) > 1 and not _ROMAN.fullmatch(w) for w in m["name"].split()
        ):
            return None  # "Via Zoom 3 times a week", "Via NHS 111"; "Corso Vittorio Emanuele II"
        return m.span()

    found += _near(_LATIN_ANCHOR, text, text, _LATIN_ADDRESS, latin, back=1, ahead=120)
    yield from (("address", *span) for span in found)
    postcodes: tuple[re.Pattern[str], ...] = ()
    if _INWARD_CODE.search(text):
        postcodes = (_UK_POSTCODE, _CA_POSTCODE, _JOINED_POSTCODE)
    for pattern in postcodes + ((_PO_BOX,) if "box" in low else ()):
        for m in pattern.finditer(text):
            yield "address", *m.span()
    for m in _EIRCODE.finditer(text):
        yield "address", m.start() - 1, m.end()
    yield from _loose_postcodes(text, low, found)


def _loose_postcodes(text: str, low: str, found: list[_Span]) -> Iterator[tuple[str, int, int]]:
    """ "my postcode is sw1a 1aa", "14 park road, london sw1a1aa" (one span from the town)."""
    ends = sorted(end for _, end in found)
    windows = []
    for word in ("post", "zip", "eircode"):
        at = low.find(word)
        while at != -1:
            windows.append((at, at + 40))
            at = low.find(word, at + 1)
    windows += [(end, end + 40) for end in ends]
    for start, end in _merged(sorted(windows), len(text), 0, 0):
        for m in _LOOSE_POSTCODE.finditer(text, start, end):
            if _POSTCODE_WORD.search(low, max(0, m.start() - 40), m.start()):
                yield "address", *m.span()
                continue
            i = bisect.bisect_right(ends, m.start())
            between = _TOWN_BETWEEN.fullmatch(text, ends[i - 1], m.start()) if i else None
            if between is not None:
                town = re.search("[A-Za-z]", between[0])
                yield "address", between.start() + (town.start() if town else 0), m.end()


# --- Handle -------------------------------------------------------------------------------
# A handle needs a platform nearby. Kindred members @mention each other's pseudonyms, which
# are public on the forum and may hold digits, "_" and "." like any handle, so a bare
# "@RiverStone" or "@quiet.fern" is left alone. An "@name" is taken when:
# - it is fediverse-shaped ("@quiet@mastodon.social") or a Bluesky name (".bsky.social"),
#   which no pseudonym can be;
# - a platform is right next to it: "insta @quiet.fern", "my twitter is @sam", "twitter:
#   @sam", "@sam on twitter", "@sam (tiktok)";
# - it holds "_" or "." and a platform is named within six words on the same line ("find me
#   @sam_recovers, mostly on twitter").
# Without an "@", a token is a handle only in a platform phrase: "insta: quiet_fern", "my
# steam name is moonlight", "add me on snapchat, it's bluebird", "ping me on discord,
# username is moonlight", "I'm moonlight on insta", "find me as bluebird on tiktok",
# "quietfern99 on twitch". Where the phrase is loose the token must look like a handle (a
# "_" or "." inside, letters with two digits, "Name#1234", a capital inside a word); where it
# is tight, an ordinary word at the end of a clause is enough, unless it is one people use
# to describe an account ("my insta is private", "I'm always on tiktok"). Platform words
# that are also everyday words ("snap", "steam", "threads", "signal") never count from six
# words away. Known misses: handles named only by the platform's link (see Profile link),
# Xbox gamertags with spaces, a handle given a sentence after the platform.
_AT_HANDLE = re.compile(
    r"@(?<![\w@.+/\\-]@)(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])"
    r"(?P<host>@[\w-]+(?:\.[\w-]+)+)?(?![\w@/-]|\.[A-Za-z0-9_])"
)
_BLUESKY = re.compile(
    r"(?<![\w.@/-])[A-Za-z0-9][\w-]*(?:\.[A-Za-z0-9][\w-]*)*\.bsky\.social(?![\w-]|\.\w)",
    re.IGNORECASE,
)
# Times, counts and "25f" (age and sex) are what follows a platform word when it is not a
# handle: "on tiktok 3x a day", "I'm 25f on insta".
_TIME_LIKE = re.compile(
    r"[0-9]+(?:[:.][0-9]{2})?(?:am|pm|h|hrs?|mins?|days?|yrs?|k|x|m|f|nb|yo|s|th|st|nd|rd)?",
    re.IGNORECASE,
)
_PLATFORM = _alternation(_WORDS["platforms"])
# On lowercase text behind one space (see _handles): a platform word must start a word,
# and the look-ahead keeps "ig" in "ignore" out. Scanning for the character before the word
# is several times faster than scanning for the word.
_PLATFORM_ANCHOR = re.compile(rf"[^a-z0-9](?P<p>{_PLATFORM})(?![a-z0-9])")
_EVERYDAY_PLATFORMS = frozenset(_WORDS["everyday_platforms"])
_PLAIN_WORD_PLATFORMS = frozenset(_WORDS["plain_word_platforms"])
_ACCOUNT = (
    r"(?:handle|user[ \t]?name|user|name|id|tag|battle[ \t]?tag|gamer[ \t]?tag|gt|ign|account|"
    r"acct|acc|channel|page|profile|@)"
)
_IT_IS = r"(?:it['\u2019]?s|it[ \t]+is|i['\u2019]?m|i[ \t]+am|as|at|is|under|called)"
# The intros that name an account even with no "my" or "add me" before the platform: "on
# snap I'm bluebird", "on tiktok as bluebird"; not "on spotify at night".
_NAMING = re.compile(r"(?:it['\u2019]?s|it[ \t]+is|i['\u2019]?m|i[ \t]+am|as|called)[ \t]+", re.I)
_CANDIDATE = r"(?P<h>[@$]?[A-Za-z0-9_][A-Za-z0-9_.#-]{1,31})"  # "$" for a Cash App tag
# What comes right before a platform word (lowercase, up to the word): "my ...", "my
# username on ...", "add me on ...", "I'm on ...".
_BEFORE_PLATFORM = re.compile(
    r"(?:(?P<my>\bmy[ \t]+(?:(?:main|new|old|other|second|spam|private|personal|art|gaming|"
    r"recovery|sober)[ \t]+)?)"
    rf"|(?P<my_account>\bmy[ \t]+{_ACCOUNT}[ \t]+(?:on|for|in)[ \t]+)"
    r"|(?P<verb>\b(?:add|follow|find|dm|pm|message|msg|text|hmu|hit[ \t]+me[ \t]+up|reach|"
    r"contact|talk[ \t]+to|chat(?:[ \t]+with)?|friend|ping|catch|sub(?:scribe)?[ \t]+to|"
    r"look[ \t]+me[ \t]+up|search[ \t]+me|watch|listen[ \t]+to|check[ \t]+(?:me[ \t]+)?out|"
    r"see|join|play[ \t]+with"
    # Being or doing something on a platform says less: "I'm on discord sometimes", "I
    # stream on twitch every night".
    r"|(?P<vague>i['\u2019]?m|i[ \t]+am|(?:i[ \t]+)?(?:stream|post|play|game|upload|vlog|blog|"
    r"draw|make[ \t]+music|am[ \t]+active)(?:ing)?))"
    r"(?:[ \t]+(?:me|us|also|still))?(?:[ \t]+up)?[ \t]+(?:on|at|via|over(?:[ \t]+on)?|in)"
    r"[ \t]+))\Z"
)
_LINKING = (" on ", " at ", " via ", " over ", " in ")  # how _BEFORE_PLATFORM ends, but "my"
# What comes right after it, up to the handle: "insta: quiet_fern", "steam name is
# moonlight", "discord, username is moonlight", "snapchat, it's bluebird", "snap me at x".
_AFTER_PLATFORM = re.compile(
    rf"(?:['\u2019]s)?(?P<account>(?:[ \t]+{_ACCOUNT}){{0,2}})"
    r"(?:(?P<is>[ \t]+is[ \t]+|['\u2019]s[ \t]+)"
    r"|(?P<me>[ \t]+me\b)?"
    r"(?:(?P<colon>[ \t]*[:=(][ \t]*|[ \t]+[-\u2013\u2014][ \t]+)|(?P<comma>[ \t]*[,;!.][ \t]*)"
    r"|[ \t]+)"
    rf"(?P<intro>(?:my[ \t]+)?{_ACCOUNT}(?:[ \t]*[:=][ \t]*|[ \t]+is[ \t]+)|{_IT_IS}[ \t]+)?)"
    + _CANDIDATE,
    re.IGNORECASE,
)
# A handle named before its platform: "moonlight on insta", "bluebird (tiktok)", "jessie99
# is my snap". On lowercase text, up to the platform word.
_ON_PLATFORM = re.compile(
    r"(?:[ \t]+(?:over|also|too))?[ \t]+on[ \t]+\Z|[ \t]*\([ \t]*\Z|[ \t]+is[ \t]+my[ \t]+\Z"
)
# Endings of the words people use to describe an account or themselves, not to name them.
_DESCRIBING = ("ing", "ed", "ful", "ous", "ive", "able", "ible", "ic", "less", "ish", "ier")
_CLAUSE_START = re.compile(r"(?:^|[\n,;:(!?.])[ \t]*\Z")
_ON_ENDINGS = (" on ", "(", "( ", " my ", "on\t", "my\t")  # how _ON_PLATFORM ends
_TOKEN_BEFORE = re.compile(r"(?<![\w@.#'\u2019-])@?[A-Za-z0-9_][A-Za-z0-9_.#-]{1,31}\Z")
# ... and what may lead up to it: "I'm", "find me as", "catch me streaming as", "go by".
_LEAD = re.compile(
    r"\b(?:i['\u2019]?m|i[ \t]+am|add[ \t]+me|follow[ \t]+me|find[ \t]+me|search(?:[ \t]+for)?|"
    r"look[ \t]+(?:up|for)|catch[ \t]+me|called|named|go[ \t]+by|it['\u2019]?s|me|as)"
    r"(?:[ \t]+(?:as|at))?[ \t]*:?[ \t]+\Z",
    re.IGNORECASE,
)
# Right before an "@name": the platform and only linking words ("insta @x", "my twitter is
# @x", "tiktok handle: @x", "on insta as @x"). On lowercase text.
_AT_AFTER_PLATFORM = re.compile(
    rf"(?<![a-z0-9])(?:{_PLATFORM})(?:['\u2019]s)?"
    r"(?:[ \t]*[:=(\-\u2013\u2014]|[ \t]*,?[ \t]*\b(?:is|it['\u2019]?s|its|i['\u2019]?m|im|as|"
    r"at|me|are|both|under|still|now|here|handle|user[ \t]?name|name|id|tag|account|page|profile|"
    r"channel|gamertag)\b)*[ \t]*\Z"
)
# Right after an "@name": "@x on twitter", "@x over on insta", "@x (tiktok)", "@x is my ig".
_AT_BEFORE_PLATFORM = re.compile(
    r"[ \t]*(?:[(\-\u2013\u2014/][ \t]*)?"
    r"(?:(?:over|also|both|on|at|via|is[ \t]+my)[ \t]+){0,3}"
    rf"(?P<p>{_PLATFORM})(?![a-z0-9])"
)
_STANDS_ALONE = re.compile(
    r"[ \t]*(?:$|[\r\n,;:!?)\]]|\.(?!\w)|[\U0001f300-\U0001faff\u2600-\u27bf])"
    r"|[ \t]+(?:[-\u2013\u2014(]|(?:and|or|if|so|but|then|too|btw|lol|pls|please|thanks?|x+|"
    r"haha|feel|dm|hmu|come|say|send|tho|though|cause|because|cos)\b)",
    re.IGNORECASE,
)
_REDDIT_USER = re.compile(r"(?<![\w/.])/?u/[A-Za-z0-9_-]{3,20}(?![\w/])")
_IN_URL = re.compile(r"[./][\w/]")  # "github.com/features" names a site, not a platform
_SITE = re.compile(r"\.(?:com|org|net|gov|edu|co\.uk|org\.uk|io)$")


_HANDLE_SHAPE = re.compile(r"_|[^\W_]\.[^\W_]|#[0-9]{4,5}$|[a-z]{2}[A-Z]")
_TWO_DIGITS = re.compile("[0-9]{2}")
_LETTERS = re.compile("[A-Za-z]")
_HANDLE_CHARACTER = re.compile("[0-9_.#]")


def _looks_like_handle(token: str) -> bool:
    """A token no one would write as a plain word: "quiet_fern", "jess.b", "fern99",
    "Fern#1234", "QuietFern"."""
    return bool(
        _HANDLE_SHAPE.search(token)
        or (_TWO_DIGITS.search(token) and len(_LETTERS.findall(token)) >= 3)
    )


def _handle_token(text: str, start: int, token: str, level: str) -> _Span | None:
    """The handle `token` at `start`, judged by how tight its platform phrase is: "strict"
    wants a token that looks like a handle, "named" also takes a name that is not a
    describing word, "tight" also any token with a digit, "_", "." or "#", or a word ending
    its clause."""
    token = token.rstrip(".-#")
    end = start + len(token)
    bare = token.lstrip("@$")
    low = bare.lower()
    if not _LETTERS.search(low) or low in _WORDS["not_handle"] or _TIME_LIKE.fullmatch(low):
        return None
    if _SITE.search(low) or text[end : end + 1] == "/":
        return None  # "I'm 25 on tiktok instagram.com/p/..." is a link, judged as one
    if token.startswith(("@", "$")) or _looks_like_handle(bare):
        return start, end
    if level == "strict" or (bare.islower() and len(bare) > 4 and bare.endswith(_DESCRIBING)):
        return None  # "I'm lurking on reddit", "check me out on tiktok, it's embarrassing"
    if level == "named":
        return start, end
    if _HANDLE_CHARACTER.search(bare) or _STANDS_ALONE.match(text, end):
        return start, end
    return None


def _handle_after(text: str, low: str, platform: str, start: int, end: int) -> _Span | None:
    """A handle after the platform word at text[start:end]."""
    m = _AFTER_PLATFORM.match(text, end)
    if m is None:
        return None
    before = None
    if "my" in low[max(0, start - 24) : start] or low.endswith(_LINKING, max(0, start - 7), start):
        before = _BEFORE_PLATFORM.search(low, max(0, start - 40), start)
    my = before is not None and before["verb"] is None
    verb = before is not None and before["verb"] is not None
    if m["is"] is not None and m["account"]:
        level = "tight"  # "steam name is moonlight"
    elif m["is"] is not None:
        # "my insta is bluebird", but not "insta is toxic"; "my signal is weak" is no handle
        level = "" if not my else "strict" if platform in _PLAIN_WORD_PLATFORMS else "tight"
    elif m["me"] is not None:
        # "snap me at jessie99", "kik me: fernie"
        level = "tight" if platform in ("snap", "snapchat", "kik", "venmo") else ""
    elif m["colon"] is not None:
        level = "tight"  # "insta: quiet_fern", "tiktok (quiet_fern)"
    elif m["comma"] is not None:
        level = "tight" if verb else ""  # "add me on snapchat, it's bluebird"
    elif verb and m["intro"] is None:
        level = "strict" if before is not None and before["vague"] else "tight"
    elif verb or my or _NAMING.fullmatch(m["intro"] or ""):
        level = "tight"  # "I'm on discord as moonlight", "on snap I'm bluebird"
    else:
        level = "strict"  # "IG quiet_fern", "spotify username fern_"
    return _handle_token(text, m.start("h"), m["h"], level) if level else None


def _handle_before(text: str, low: str, start: int, end: int) -> _Span | None:
    """A handle before the platform word at text[start:end]."""
    if not low.endswith(_ON_ENDINGS, max(0, start - 4), start):
        return None
    on = _ON_PLATFORM.search(low, max(0, start - 16), start)
    if on is None:
        return None
    token = _TOKEN_BEFORE.search(text, max(0, on.start() - 33), on.start())
    if token is None:
        return None
    if _LEAD.search(text, max(0, token.start() - 32), token.start()):
        return _handle_token(text, token.start(), token[0], "named")
    if (
        _CLAUSE_START.search(text, max(0, token.start() - 4), token.start())
        and _STANDS_ALONE.match(text, end)
        and not token[0].lower().endswith("s")
    ):
        # A clause of its own: "riversong on twitch!", "streaming later, riversong on
        # twitch"; not "hours on tiktok."
        return _handle_token(text, token.start(), token[0], "named")
    return _handle_token(text, token.start(), token[0], "strict")


def _platform_within_words(low: str, start: int, end: int, words: int = 6) -> bool:
    """A platform that is no everyday word named within `words` words of low[start:end], on
    the same line."""
    line_start = low.rfind("\n", max(0, start - 80), start) + 1 or max(0, start - 80)
    line_end = low.find("\n", end, end + 80)
    before = low[line_start:start].split()[-words:]
    after = low[end : line_end if line_end != -1 else end + 80].split()[:words]
    for side in (" " + " ".join(before), " " + " ".join(after)):
        for p in _PLATFORM_ANCHOR.finditer(side):
            if p["p"] not in _EVERYDAY_PLATFORMS and not _IN_URL.match(side, p.end()):
                return True
    return False


def _at_handle(low: str, m: re.Match[str]) -> bool:
    name = m["name"].lower()
    if m["host"] is not None or name.endswith(".bsky.social"):
        return True
    if name in _WORDS["not_at_handle"] or _TIME_LIKE.fullmatch(name):
        return False
    start, end = m.span()
    if _AT_AFTER_PLATFORM.search(low, max(0, start - 48), start):
        return True
    after = _AT_BEFORE_PLATFORM.match(low, end)
    if after and after["p"] not in _EVERYDAY_PLATFORMS:
        return True  # but "@RiverStone on threads like this one" is a mention
    return ("." in name or "_" in name) and _platform_within_words(low, start, end)


# "i'm 'lilac_thoughts' on tumblr": a quoted name before a platform. "same name everywhere"
# after a name said to be one's own stands for every platform.
_QUOTED_BEFORE_PLATFORM = re.compile(
    r"(?P<q>['\"\u2018\u201c])(?P<h>@?[A-Za-z0-9_][A-Za-z0-9_.-]{1,31})['\"\u2019\u201d]"
    rf"[ \t]+(?:(?:over|also)[ \t]+)?(?:on|at)[ \t]+(?i:{_PLATFORM})(?![A-Za-z0-9])"
)
_SAME_EVERYWHERE = re.compile(  # on lowercase text
    r"\b(?:same|identical)[ \t]+(?:name|handle|username|user[ \t]+name|@)[ \t]+"
    r"(?:everywhere|on[ \t]+(?:everything|all|every))"
)
_SAME_NAME_TOKEN = re.compile(
    r"(?:(?<=[ \t])|(?<=^)|(?<=[:(]))(?P<h>@?[A-Za-z0-9_][A-Za-z0-9_.-]{1,31}?)[.]?[ \t]*"
    r"(?:[,(\-\u2013\u2014;][ \t]*)?\Z"
)
_SAME_NAME_AFTER = re.compile(
    r"[ \t]*[:,\-\u2013\u2014][ \t]*(?P<h>@?[A-Za-z0-9_][A-Za-z0-9_.-]{1,31})"
)


def _evasive_handles(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    if "'" in text or '"' in text or "\u2018" in text or "\u201c" in text:
        for m in _QUOTED_BEFORE_PLATFORM.finditer(text):
            lead = _LEAD.search(text, max(0, m.start() - 32), m.start())
            span = _handle_token(text, m.start("h"), m["h"], "named" if lead else "strict")
            if span is not None:
                yield "handle", *span
    if "everywhere" in low or "same" in low:
        for m in _SAME_EVERYWHERE.finditer(low):
            before = _SAME_NAME_TOKEN.search(text, max(0, m.start() - 34), m.start())
            if before is not None:
                span = _handle_token(text, before.start("h"), before["h"], "named")
                lead = _LEAD.search(text, max(0, before.start() - 32), before.start())
                if span is not None and (lead or _looks_like_handle(before["h"].lstrip("@"))):
                    yield "handle", *span
                    continue
            after = _SAME_NAME_AFTER.match(text, m.end())
            if after is not None:
                span = _handle_token(text, after.start("h"), after["h"], "named")
                if span is not None:
                    yield "handle", *span


def _handles(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    yield from _evasive_handles(text, low)
    if "@" in text:
        for m in _AT_HANDLE.finditer(text):
            if _at_handle(low, m):
                yield "handle", *m.span()
    if "bsky.social" in low:
        for m in _BLUESKY.finditer(text):
            yield "handle", *m.span()
    for p in _PLATFORM_ANCHOR.finditer(" " + low):
        start, end = p.start("p") - 1, p.end("p") - 1
        if low[start - 1 : start].isalnum():
            continue  # "ig" in "naïg..."
        platform = p["p"].replace(" ", "").replace("\t", "")
        for span in (
            _handle_after(text, low, platform, start, end),
            _handle_before(text, low, start, end),
        ):
            if span is not None:
                yield "handle", *span
    if "u/" in text:
        for m in _REDDIT_USER.finditer(text):
            yield "handle", *m.span()


# --- Profile link -------------------------------------------------------------------------
# A person's page on a social, creator or payment site, with or without scheme and "www.":
# also a group invite ("chat.whatsapp.com/...", "discord.gg/..."), a TikTok share link
# ("vm.tiktok.com/...", which carries the sharer's account) and any "host/@name" page (the
# fediverse, Medium, Substack...). Not a profile: the site's own pages (help, explore,
# login...), a subreddit ("reddit.com/r/stopdrinking"), a video ("youtube.com/watch?v=..."),
# a general link shortener ("bit.ly", "t.co": the target is unknown and mostly not a
# person), a personal domain (it cannot be told from any other site).
_DOMAIN_ANCHOR = re.compile(r"\.[A-Za-z]{2,9}\b")
_PROFILE = re.compile(
    r"(?<![\w@.-])(?:https?://)?(?:(?:www|m|mobile|web|old|new|api|[a-z]{2}(?:-[a-z]{2})?)\.)?"
    r"(?:(?:facebook|fb)\.com/(?!(?:groups|events|help|policies|privacy|legal|login|watch|"
    r"marketplace|hashtag|sharer|share|gaming|business|about|settings|terms|careers|ads|"
    r"photo|story\.php|permalink\.php|reel|videos|pages)\b)"
    r"[\w.%?=&-]+"
    r"|(?:fb|m)\.me/[\w.-]+"
    r"|(?:instagram\.com|instagr\.am)/(?!(?:explore|about|legal|accounts|developer|directory|"
    r"web|static|p|reels?|tv)\b)[\w.]+"
    r"|(?:twitter|x)\.com/(?!(?:home|explore|search|i|hashtag|settings|login|signup|"
    r"notifications|messages|intent|share|tos|privacy|compose|en)\b)@?\w{1,15}"
    r"|tiktok\.com/(?:@[\w.]+|t/\w+)|(?:vm|vt)\.tiktok\.com/\w+"
    r"|linkedin\.com/(?:in|pub)/[\w%-]+"
    r"|(?:t|telegram)\.me/\+?\w+|signal\.me/#[\w/.+-]+"
    r"|wa\.me/\+?[0-9]+|whatsapp\.com/send/?\?phone=\+?[0-9]+|chat\.whatsapp\.com/[\w/]+"
    r"|snapchat\.com/(?:add|u|t)/[\w.-]+"
    r"|reddit\.com/(?:u|user)/[\w-]+"
    r"|discord(?:app)?\.com/(?:invite|users)/[\w-]+|discord\.gg/[\w-]+"
    r"|youtube\.com/(?:@|c/|channel/|user/)[\w.-]+"
    r"|threads\.(?:net|com)/@[\w.]+"
    r"|bsky\.app/profile/[\w.:-]+"
    r"|twitch\.tv/(?!(?:directory|videos|downloads|jobs|p)\b)\w+"
    r"|(?!www\.)[a-z0-9-]+\.(?:tumblr\.com|substack\.com|medium\.com|github\.io|gitlab\.io|"
    r"carrd\.co)(?![\w-])"
    r"|tumblr\.com/(?!(?:tagged|search|explore|dashboard|login|register|about|policy|help)\b)"
    r"[\w-]+"
    r"|(?:medium|substack)\.com/@[\w.-]+|substack\.com/profile/[\w-]+"
    r"|open\.substack\.com/pub/[\w-]+"
    r"|paypal\.me/[\w.-]+|cash\.app/\$[\w-]+|venmo\.com/(?:u/)?(?!(?:about|legal|signup)\b)[\w-]+"
    r"|kik\.me/[\w.]+|vsco\.co/[\w.-]+|onlyfans\.com/[\w.-]+"
    r"|pinterest\.(?:com|co\.uk|[a-z]{2})/(?!(?:pin|ideas|search|today|business|explore)\b)[\w-]+"
    r"|(?:gist\.)?github\.com/(?!(?:features|about|pricing|login|join|signup|settings|topics|"
    r"marketplace|explore|trending|collections|security|enterprise|team|site|contact|apps|"
    r"new|notifications|search|issues|pulls|readme|solutions|resources|education|mobile|"
    r"events)\b)[\w-]+"
    r"|gitlab\.com/(?!(?:explore|users|help|dashboard|projects|search|api|pricing|features|"
    r"install|company|blog|resources|topics)\b|-)[\w.-]+"
    r"|soundcloud\.com/(?!(?:discover|stream|search|upload|you|charts|pages|terms-of-use|"
    r"mobile|pro|signin|jobs|imprint|settings|messages|notifications|people|tags|popular)\b)"
    r"[\w-]+|on\.soundcloud\.com/\w+"
    r"|patreon\.com/(?!(?:login|signup|about|home|explore|policy|legal|product|pricing|apps|"
    r"search|messages|notifications|settings|create|creators?|blog|careers|brand)\b)[\w-]+"
    r"|ko-fi\.com/(?!(?:explore|manage|account|about|home|login|register|gold|features|"
    r"blog)\b)[\w-]+"
    r"|buymeacoffee\.com/(?!(?:explore|about|faq|signup|login|privacy|terms|brand|apps|"
    r"features|pricing|dashboard)\b)[\w.-]+"
    r"|steamcommunity\.com/(?:id|profiles)/[\w-]+"
    r"|(?:open\.)?spotify\.com/user/[\w.-]+"
    r"|roblox\.com/users/[0-9]+|(?:account\.)?xbox\.com/(?:[a-z]{2}-[a-z]{2}/)?profile\?"
    r"gamertag=[\w%+-]+"
    r"|(?:linktr\.ee|beacons\.ai|bio\.link|lnk\.bio|solo\.to|allmylinks\.com|ngl\.link|"
    r"tellonym\.me|curiouscat\.(?:me|live|qa))/[\w.-]+"
    # "mastodon.social/@quietfern", "fosstodon.org/@x": any host, then "/@name"; package
    # CDNs use "/@scope" for code.
    r"|(?!(?:unpkg\.com|esm\.sh|cdn\.skypack\.dev)/)(?:[a-z0-9-]+\.)+[a-z]{2,24}/@\w[\w.]*)",
    re.IGNORECASE,
)
_URL_REST = re.compile(r"[^\s<>()\[\]{}\"'`]*")
_TOKEN_END = re.compile(r"\S*")
_PROFILE_SUBDOMAIN = re.compile(
    r"\.(?:tumblr\.com|substack\.com|medium\.com|github\.io|gitlab\.io|carrd\.co)", re.I
)
_TRAILING = ".,;:!?'\"\u2019\u201d"


def _profile_link(text: str, m: re.Match[str]) -> _Span:
    # The rest of the URL: the match may have stopped at the window's edge or before a path.
    rest = _URL_REST.match(text, m.end())
    end = rest.end() if rest else m.end()
    while end > m.start() and text[end - 1] in _TRAILING:
        end -= 1
    return m.start(), end


def _profile_links(text: str) -> Iterator[tuple[str, int, int]]:
    """Each run of non-space characters around a domain-like anchor is searched once, and
    only when it has a path or a profile host's subdomain ("jane.doe@gmail.com" has none)."""
    accept = lambda m: _profile_link(text, m)  # noqa: E731
    done = 0
    for a in _DOMAIN_ANCHOR.finditer(text):
        if a.start() < done:
            continue
        lo = max(0, a.start() - 60)
        at = a.start()
        token_start = 1 + max(
            text.rfind(" ", lo, at), text.rfind("\n", lo, at), text.rfind("\t", lo, at)
        )
        token_start = max(token_start, lo)
        end = _TOKEN_END.match(text, a.start())
        done = end.end() if end else a.end()
        token = text[token_start:done]
        if "/" in token or _PROFILE_SUBDOMAIN.search(token):
            for span in _scan(_PROFILE, text, accept, token_start, done):
                yield "profile_link", *span


# --- Putting it together ------------------------------------------------------------------
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
