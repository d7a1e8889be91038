"""Pseudonyms: calm suggestions, cleaning for display, look-alike-proof keys and validation."""

import json
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Final

from confusable_homoglyphs import categories, confusables

MIN_LENGTH: Final = 3
MAX_LENGTH: Final = 32
# Seven digits is the shortest phone number; fewer still leaves room for a favourite number.
MAX_DIGITS: Final = 6
MAX_SUGGESTIONS: Final = 1000

_WORDS: Final[dict[str, list[str]]] = json.loads(
    Path(__file__).with_name("words.json").read_text(encoding="utf-8")
)
ADJECTIVES: Final = tuple(_WORDS["adjectives"])
NOUNS: Final = tuple(_WORDS["nouns"])

_SEPARATORS: Final = frozenset(" _-.")
_SEPARATOR_RUN: Final = re.compile(r"[ _.\-]+")
# Marks are stripped where they are accents or optional vowel points; on kana, Indic or Thai
# bases they change the word, so "が" must not collide with "か".
_STRIP_MARKS_ON: Final = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARABIC", "HEBREW", "COMMON"})
# Separators, plus Arabic tatweel, which only stretches a word: "محـــمد" reads as "محمد".
_KEY_IGNORED: Final = frozenset(" _-.\u0640")
# Letters and marks that render as nothing, allowing an invisible name or an invisible difference.
_INVISIBLE: Final = frozenset(
    "\u034f\u115f\u1160\u3164\uffa0"
    + "".join(map(chr, [*range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
)
# UTS #39 "highly restrictive": these mixes are how people ordinarily write CJK names.
_SCRIPT_MIXES: Final = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
# The classic impersonation swaps; deliberately nothing broader (no 5/s, no rn/m).
_DIGIT_TRICKS: Final = str.maketrans({"0": "o", "1": "l", "i": "l"})

# Staff words with no innocent superstring in practice, so they are caught anywhere in the key
# (also inside "xXmoderatorXx" and across separators, as in "Support Team").
# fmt: off
_RESERVED_ANYWHERE: Final = (
    "moderator", "administrator", "kindred", "facilitator", "counsellor", "counselor",
    "therapist", "psychiatrist", "psychologist", "clinician", "supportteam", "safetyteam",
    "crisisteam", "modteam", "adminteam",
)
# Short words hide inside ordinary ones ("Modest", "Almond", "Badminton", "Ecosystem",
# "Nursery"), so they only count as a whole word part. "root" is left out on purpose: it means
# nothing official to members and "Deep Roots" is a natural recovery name.
_RESERVED_PARTS: Final = (
    "mod", "mods", "admin", "admins", "staff", "system", "sysop", "official", "doctor", "dr",
    "nurse",
)
# fmt: on

MSG_EMAIL: Final = "E-mail addresses can't be used as pseudonyms, so a made-up name works best."
MSG_PHONE: Final = "Pseudonyms can't contain phone numbers, so please use six digits or fewer."
MSG_TOO_SHORT: Final = "Pseudonyms need at least 3 characters, so try adding a word or a number."
MSG_TOO_LONG: Final = "Pseudonyms can be up to 32 characters, so a shorter version will fit."
MSG_CHARACTERS: Final = "Pseudonyms can use letters, numbers, spaces, dots, dashes and underscores."
MSG_NO_LETTER: Final = "Pseudonyms need at least one letter alongside any numbers or symbols."
MSG_MIXED: Final = "Please use one alphabet, so your name can't be mistaken for someone else's."
MSG_RESERVED: Final = (
    "Names that sound like staff, clinicians or Kindred itself are kept aside, "
    "so a nature word or a made-up name works well."
)


def _latin_prototype(glyph: str) -> str | None:
    # RTL glyphs are stored wrapped in U+200E marks; "ø" is listed as "o" + U+0338, so strip marks.
    plain = unicodedata.normalize("NFKD", glyph.replace("\u200e", ""))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    if not (plain.isascii() and plain.isalnum()):
        return None
    # The data's prototype for "m" and its look-alikes is "rn", so undo that for our m-skeleton.
    return "m" if plain == "rn" else plain.casefold()


def _build_fold() -> dict[str, str]:
    own: dict[str, str] = {}
    for raw, entries in confusables.confusables_data.items():
        char = str(raw).replace("\u200e", "")
        if len(char) != 1 or char.isascii():
            continue  # ASCII-to-ASCII pairs ("m"/"rn", "I"/"l") are broader than we want
        for entry in entries:
            if (prototype := _latin_prototype(str(entry["c"]))) is not None:
                own[char] = prototype
    # key() looks up casefolded characters; a lowercase letter's own look-alike wins, otherwise it
    # inherits its capital's (Cyrillic small en has none, its capital is an "H"): case-blind keys.
    fold = {char: proto for char, proto in own.items() if char.casefold() == char}
    for char, proto in own.items():
        if len(folded := char.casefold()) == 1:
            fold.setdefault(folded, proto)
    return fold


_FOLD: Final = _build_fold()


def suggest(count: int = 5) -> list[str]:
    if not 0 <= count <= MAX_SUGGESTIONS:
        raise ValueError(f"count must be between 0 and {MAX_SUGGESTIONS}")
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{secrets.choice(ADJECTIVES)}{secrets.choice(NOUNS)}{secrets.randbelow(100):02d}"
        # Distinct keys, not just distinct strings, so one batch never offers look-alikes.
        if (name_key := key(name)) not in seen and validate(name) is None:
            seen.add(name_key)
            names.append(name)
    return names


def clean(raw: str) -> str:
    # Tabs and newlines are Cc too, but they separate words, so they become spaces first.
    spaced = (" " if ch.isspace() else ch for ch in raw)
    visible = "".join(ch for ch in spaced if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(unicodedata.normalize("NFC", visible).split())


def _strip_marks(decomposed: str) -> str:
    kept: list[str] = []
    base_script = ""
    for ch in decomposed:
        if unicodedata.category(ch) != "Mn":
            base_script = str(categories.alias(ch))
        elif base_script in _STRIP_MARKS_ON:
            continue
        kept.append(ch)
    return "".join(kept)


def key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    bare = _strip_marks(unicodedata.normalize("NFD", folded))
    skeleton = "".join(
        _FOLD.get(ch, ch) for ch in bare if ch not in _KEY_IGNORED and not ch.isspace()
    )
    return unicodedata.normalize("NFC", skeleton.translate(_DIGIT_TRICKS))


_RESERVED_ANYWHERE_KEYS: Final = frozenset(key(token) for token in _RESERVED_ANYWHERE)
_RESERVED_PART_KEYS: Final = frozenset(key(token) for token in _RESERVED_PARTS)


def _word_parts(word: str, acronym_first: bool) -> list[str]:
    # "MODTeam" reads as MOD+Team but "ADMINteam" as ADMIN+team; callers try both readings.
    parts: list[str] = []
    start = 0
    for i in range(1, len(word)):
        prev, ch, nxt = word[i - 1], word[i], word[i + 1 : i + 2]
        if (
            (prev.islower() and ch.isupper())
            or (not acronym_first and prev.isupper() and ch.isupper() and nxt.islower())
            or (acronym_first and word[i - 2 : i - 1].isupper() and prev.isupper() and ch.islower())
            or prev.isdigit() != ch.isdigit()
        ):
            parts.append(word[start:i])
            start = i
    parts.append(word[start:])
    return parts


def _is_reserved(name: str) -> bool:
    whole = key(name)
    if any(token in whole for token in _RESERVED_ANYWHERE_KEYS):
        return True
    for word in _SEPARATOR_RUN.split(name):
        for acronym_first in (False, True):
            keys = [key(part) for part in _word_parts(word, acronym_first)]
            # Any run of whole parts: catches "M0D", "AdMiN" and "Admin42" but never "Madmin".
            runs = {
                "".join(keys[i:j]) for i in range(len(keys)) for j in range(i + 1, len(keys) + 1)
            }
            if runs & _RESERVED_PART_KEYS:
                return True
    return False


def _has_allowed_characters(name: str) -> bool:
    marks_in_a_row, previous = 0, ""
    for ch in name:
        category = unicodedata.category(ch)
        # Real scripts put a few marks on a letter; long stacks are "Zalgo" smearing.
        marks_in_a_row = marks_in_a_row + 1 if category in ("Mn", "Mc") else 0
        if ch in _INVISIBLE or marks_in_a_row > 3:
            return False
        if marks_in_a_row and previous[:1] not in ("L", "M"):
            return False
        if not marks_in_a_row and category[0] != "L" and category != "Nd" and ch not in _SEPARATORS:
            return False
        previous = category
    return True


def _mixes_scripts(name: str) -> bool:
    scripts = {str(categories.alias(ch)) for ch in name} - {"COMMON", "INHERITED"}
    return len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPT_MIXES)


def validate(name: str) -> str | None:
    # Identifying details first: that message helps more than a length or character complaint.
    if "@" in name:
        return MSG_EMAIL
    if sum(ch.isdigit() for ch in name) > MAX_DIGITS:
        return MSG_PHONE
    if len(name) < MIN_LENGTH:
        return MSG_TOO_SHORT
    if len(name) > MAX_LENGTH:
        return MSG_TOO_LONG
    if not _has_allowed_characters(name):
        return MSG_CHARACTERS
    if not any(unicodedata.category(ch).startswith("L") for ch in name):
        return MSG_NO_LETTER
    if _mixes_scripts(name):
        return MSG_MIXED
    if _is_reserved(name):
        return MSG_RESERVED
    return None
