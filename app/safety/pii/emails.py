"""E-mail addresses: plain, obfuscated ("name at gmail dot com") and half-typed ("my gmail is
name123"); role mailboxes at public bodies are left alone."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.safety.pii.common import _PUBLIC, _WORDS, _alternation, _merged, _scan, _Span, _windows

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
