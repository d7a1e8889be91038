"""Phone numbers, national and international, and numbers spelled out or spaced to dodge a
filter; public helplines, dates, doses and counts are left alone."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from app.safety.pii.common import _PUBLIC, _alternation, _merged, _Span

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


# A service named just before the number ("Lifeline Australia is 13 11 14", "De Luisterlijn:
# 088 ...", "Hopeline 0917 ...") makes it the service's line, not a person's, unless the
# writer turns to their own ("the helpline was closed so text me on ...").
_SERVICE_BEFORE = re.compile(
    r"\b(?:[a-z]*(?:help|hot|life|hope|crisis|info|text|support|advice|care|listening|luister)"
    r"[ \t-]?(?:line|lijn|linea|l\u00ednea|ligne|telefon)s?|samaritans|telefonseelsorge)\b"
    r"(?P<between>[^\n0-9]{0,40})\Z",
    re.IGNORECASE,
)
_OWN = re.compile(r"\b(?:me|my|mine|our|us|i|i'm|mum|mom|dad|sister|brother|friend)\b", re.I)


def _service_line(text: str, start: int) -> bool:
    m = _SERVICE_BEFORE.search(text, max(0, start - 60), start)
    return m is not None and _OWN.search(m["between"]) is None


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
            if _service_line(text, m.start()):
                continue
            span = _best_phone(text, m)
            if span is not None:
                yield "phone", *span
