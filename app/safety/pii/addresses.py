"""Street addresses (English, French, German, Nordic, Latin and Indian forms) and postcodes; a
US ZIP code or UK outward code on its own is left alone."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from app.safety.pii.common import _WORDS, _alternation, _merged, _near, _scan, _Span

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
# A numeric postcode stated as one's own ("my zip is 97214", "meine PLZ ist 10827"); a
# postcode of a town or an office is not the writer's address.
_OWN_NUMERIC_POSTCODE = re.compile(
    r"\b(?:my|our|meine?|unsere?|mon|notre|mi|nuestro)[ \t]+(?:home[ \t]+)?"
    r"(?:zip(?:[ \t]?code)?|post[ \t]?code|postal[ \t]+code|plz|postleitzahl|code[ \t]+postal|"
    r"c[oó]digo[ \t]+postal|pin[ \t]?code)"
    r"[ \t]*(?:is|ist|est|es|:|=|-)?[ \t]*(?P<code>[0-9]{3,6}(?:-[0-9]{4})?)(?![\w-])"
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
    if "code" in low or "zip" in low or "plz" in low or "postleitzahl" in low:
        for m in _OWN_NUMERIC_POSTCODE.finditer(low):
            yield "address", *m.span("code")


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
