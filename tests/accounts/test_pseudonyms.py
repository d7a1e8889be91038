import re
import unicodedata

import pytest

from app.accounts import pseudonyms
from app.accounts.pseudonyms import clean, key, suggest, validate

MESSAGES = [
    pseudonyms.MSG_EMAIL,
    pseudonyms.MSG_PHONE,
    pseudonyms.MSG_TOO_SHORT,
    pseudonyms.MSG_TOO_LONG,
    pseudonyms.MSG_CHARACTERS,
    pseudonyms.MSG_NO_LETTER,
    pseudonyms.MSG_MIXED,
    pseudonyms.MSG_RESERVED,
]

# Written out here rather than imported, so loosening the word lists makes a test fail.
UNKIND_STEMS = (
    "dead", "death", "die", "kill", "blood", "pill", "grave", "cliff", "bridge", "storm", "scar",
    "rope", "drown", "burn", "sick", "lonely", "empty", "broken", "dark", "grey", "gray", "blue",
    "cold", "lost", "sad", "fall", "crow", "raven", "tear", "wound", "bone", "skin", "girl", "boy",
    "man", "woman", "lady", "fat", "thin",
)  # fmt: skip


# --- suggest -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 5, 20])
def test_suggest_returns_exactly_the_number_of_names_asked_for(count: int) -> None:
    assert len(suggest(count)) == count


def test_suggest_offers_five_names_by_default() -> None:
    assert len(suggest()) == 5


def test_a_batch_of_two_hundred_suggestions_all_pass_validation_with_distinct_keys() -> None:
    names = suggest(200)
    assert [name for name in names if validate(name) is not None] == []
    assert len({key(name) for name in names}) == 200


def test_suggestions_read_as_adjective_noun_and_two_digits() -> None:
    for name in suggest(50):
        assert re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+\d\d", name), name


def test_suggestions_are_not_the_same_batch_every_time() -> None:
    assert suggest(10) != suggest(10)


def test_every_adjective_and_noun_pairing_is_an_acceptable_pseudonym() -> None:
    # 0 and 1 are keyed as letters, so check both against every pairing, not only plain digits.
    for adjective in pseudonyms.ADJECTIVES:
        for noun in pseudonyms.NOUNS:
            for digits in ("01", "10"):
                name = f"{adjective}{noun}{digits}"
                assert validate(name) is None, name


def test_word_lists_are_large_distinct_and_plain_letters() -> None:
    for words in (pseudonyms.ADJECTIVES, pseudonyms.NOUNS):
        assert len(words) >= 55
        assert len(set(words)) == len(words)
        assert all(re.fullmatch(r"[A-Z][a-z]+", word) for word in words)
    assert not set(pseudonyms.ADJECTIVES) & set(pseudonyms.NOUNS)


def test_word_lists_contain_nothing_about_illness_death_bodies_or_gender() -> None:
    words = [word.lower() for word in (*pseudonyms.ADJECTIVES, *pseudonyms.NOUNS)]
    assert [(word, stem) for word in words for stem in UNKIND_STEMS if stem in word] == []


@pytest.mark.parametrize("count", [-1, pseudonyms.MAX_SUGGESTIONS + 1])
def test_suggest_refuses_counts_it_could_not_sensibly_fill(count: int) -> None:
    with pytest.raises(ValueError):
        suggest(count)


# --- clean ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Zoe\u0308", "Zo\u00eb"),  # NFC composes the diaeresis
        ("abc\u202edef", "abcdef"),  # right-to-left override
        ("\u202aLeft\u202c \u202bRight\u202c", "Left Right"),
        ("\u2066River\u2069 \u2067Stone\u2069 \u2068Moss\u2069", "River Stone Moss"),
        ("a\u200bb\u200cc\u200dd\u200ee\u200ff", "abcdef"),  # zero-width and direction marks
        ("\ufeffFern", "Fern"),
        ("Bell\x00\x07\x7f", "Bell"),
        ("  Quiet   Harbor  ", "Quiet Harbor"),
        ("Quiet\tHarbor\nTwo\r\n", "Quiet Harbor Two"),
        ("Quiet\u00a0\u3000\u2028Harbor", "Quiet Harbor"),
        ("Quiet \u200b Harbor", "Quiet Harbor"),
        # Hard negatives: NFC, not NFKC, so what people typed is kept.
        ("\uff21\uff2c\uff25\uff38", "\uff21\uff2c\uff25\uff38"),
        ("\ufb01ne", "\ufb01ne"),
        ("\u3055\u304f\u3089", "\u3055\u304f\u3089"),
        ("River_Stone-2.0", "River_Stone-2.0"),
        ("", ""),
    ],
)
def test_clean_normalises_strips_invisible_controls_and_collapses_spaces(
    raw: str, cleaned: str
) -> None:
    assert clean(raw) == cleaned


@pytest.mark.parametrize("raw", ["  a\u202e b\t\tc ", "Zoe\u0308\u200b", "\u2067x\u2069  y"])
def test_clean_is_idempotent_and_leaves_no_format_or_control_characters(raw: str) -> None:
    once = clean(raw)
    assert clean(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not [ch for ch in once if unicodedata.category(ch) in ("Cc", "Cf")]


# --- key -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Alex", "ALEX"),
        ("\uff21\uff2c\uff25\uff38", "alex"),  # fullwidth
        ("Zo\u00eb", "zoe"),
        ("Zoe\u0308", "Zo\u00eb"),
        ("Ren\u00e9e", "RENEE"),
        ("S\u00f8ren", "Soren"),  # ø has no decomposition; the confusables data supplies it
        ("\u0430dmin", "admin"),  # Cyrillic a (U+0430)
        ("\u0441\u043e\u0440", "cop"),  # all-Cyrillic es, o, er
        ("\u041d\u041e\u041c\u0415", "home"),  # all-Cyrillic capitals
        ("\u043d\u043e\u043c\u0435", "\u041d\u041e\u041c\u0415"),  # ...and their small letters
        ("Mo\u03bfn", "Moon"),  # Greek omicron
        ("\u039a\u0391\u03a4\u0395", "kate"),  # Greek capitals
        ("\U0001d42c\U0001d42d\U0001d428\U0001d427\U0001d41e", "stone"),  # maths bold
        ("\u0271od", "mod"),  # the data's prototype for m-look-alikes is "rn"
        ("m0derator", "moderator"),
        ("M00N", "moon"),
        ("L1ly", "Lily"),
        ("LiIy", "lily"),
        ("1ll", "Ill"),
        ("quiet_harbor", "Quiet Harbor"),
        ("quiet.harbor", "quiet-harbor"),
        ("q u i e t", "quiet"),
        ("\u0645\u062d\u0640\u0640\u0640\u0645\u062f", "\u0645\u062d\u0645\u062f"),  # tatweel
        ("\u0645\u064f\u062d\u064e\u0645\u064e\u0651\u062f", "\u0645\u062d\u0645\u062f"),  # harakat
    ],
)
def test_names_a_reader_could_confuse_share_a_key(first: str, second: str) -> None:
    assert key(first) == key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("River", "Rivet"),
        ("Anna", "Anne"),
        ("Quiet Harbor", "Quiet Harbour"),
        ("Fern", "Fem"),  # rn/m is deliberately not folded
        ("Sam5", "Sams"),  # nor 5/s
        ("Bell8", "BellB"),
        ("\u3055\u304f\u3089", "\u3056\u304f\u3089"),  # kana voicing marks change the word
        ("\u0905\u0928\u093f\u0932", "\u0905\u0928\u0940\u0932"),  # Devanagari vowel signs too
        ("Fern2", "Fern3"),
    ],
)
def test_genuinely_different_names_keep_different_keys(first: str, second: str) -> None:
    assert key(first) != key(second)


@pytest.mark.parametrize("name", ["さくら", "サクラ", "山田", "مريم", "שמש", "김민준"])
def test_a_name_in_a_script_without_latin_look_alikes_keys_to_itself_casefolded(name: str) -> None:
    assert key(name) == name.casefold()


@pytest.mark.parametrize(
    "alphabet",
    [
        "abcdefghijklmnopqrstuvwxyz",
        "αβγδεζηθικλμνξοπρστυφχψω",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіјѕ",
    ],
)
def test_keys_ignore_case_even_where_only_the_capital_has_a_latin_twin(alphabet: str) -> None:
    for letter in alphabet:
        assert key(letter.upper()) == key(letter), letter


def test_a_latin_key_is_lowercase_ascii_without_separators() -> None:
    assert key(" Quiet_Harbor-42.x ") == "qu" + "l" + "etharbor42x"


# --- validate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "QuietHarbor42",
        "Zo\u00eb",
        "\u0410\u043d\u043d\u0430",  # Анна
        "\u03a3\u03bf\u03c6\u03af\u03b1",  # Σοφία
        "\u3055\u304f\u3089",  # さくら
        "山田さくら",  # Han + Hiragana is ordinary Japanese
        "\u0905\u0928\u093f\u0932",  # अनिल, vowel signs are marks on a letter
        "\u0645\u062d\u0645\u062f",  # محمد
        "김민준",
        "River.Stone",
        "Abc",
        "x" * 32,
        "Fern 123456",  # six digits is still fine
        # Hard negatives for the staff check: the short words only count as whole parts.
        "Modest Fern",
        "Almond Tree",
        "Madmin",
        "Badminton Fan",
        "Ecosystem",
        "Moderation",
        "Nursery Rhyme",
        "Drew",
        "Staffordshire",
        "Rootless",
        "Root",  # decided: "root" is not reserved; it means nothing official here
        "Deep Roots",
        "Team Fern",
    ],
)
def test_validate_accepts_calm_ordinary_pseudonyms(name: str) -> None:
    assert validate(name) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ab", pseudonyms.MSG_TOO_SHORT),
        ("", pseudonyms.MSG_TOO_SHORT),
        ("x" * 33, pseudonyms.MSG_TOO_LONG),
        ("sam@example.com", pseudonyms.MSG_EMAIL),
        ("a" * 40 + "@example.com", pseudonyms.MSG_EMAIL),
        ("+44 7700 900123", pseudonyms.MSG_PHONE),
        ("07700900123", pseudonyms.MSG_PHONE),
        ("Fern 555-123-4567", pseudonyms.MSG_PHONE),
        ("(020) 7946 0958", pseudonyms.MSG_PHONE),
        ("Fern.07700.900.123", pseudonyms.MSG_PHONE),
        ("Sam 1234567", pseudonyms.MSG_PHONE),
        ("\u0660\u0667\u0667\u0660\u0660\u0669\u0660\u0660", pseudonyms.MSG_PHONE),  # Arabic-Indic
        ("\uff10\uff17\uff17\uff10\uff10\uff19\uff10\uff10", pseudonyms.MSG_PHONE),  # fullwidth
        ("Fern!", pseudonyms.MSG_CHARACTERS),
        ("Fern's", pseudonyms.MSG_CHARACTERS),
        ("Fern \U0001f33f", pseudonyms.MSG_CHARACTERS),
        ("Fern\u00b2", pseudonyms.MSG_CHARACTERS),
        ("\u3164\u3164\u3164", pseudonyms.MSG_CHARACTERS),  # Hangul filler renders as nothing
        ("\u3055\ufe00\u304f\u3089", pseudonyms.MSG_CHARACTERS),  # variation selector
        ("Fern" + "\u0336" * 4, pseudonyms.MSG_CHARACTERS),  # Zalgo-style stack of marks
        ("\u0301Fern", pseudonyms.MSG_CHARACTERS),  # a mark with nothing to sit on
        ("...", pseudonyms.MSG_NO_LETTER),
        ("123 456", pseudonyms.MSG_NO_LETTER),
        ("_-_", pseudonyms.MSG_NO_LETTER),
        ("\u0430dmin", pseudonyms.MSG_MIXED),  # Cyrillic a (U+0430) in a Latin word
        ("Riv\u0435r", pseudonyms.MSG_MIXED),
        ("\u0391laskaJazz", pseudonyms.MSG_MIXED),  # Greek capital alpha
        ("Anna\u0664\u0662", pseudonyms.MSG_MIXED),  # Arabic-Indic digits are Arabic script
        ("Moderator", pseudonyms.MSG_RESERVED),
        ("m0derator", pseudonyms.MSG_RESERVED),
        ("xXmoderatorXx", pseudonyms.MSG_RESERVED),
        ("Admin_Team", pseudonyms.MSG_RESERVED),
        ("MOD", pseudonyms.MSG_RESERVED),
        ("M0D", pseudonyms.MSG_RESERVED),
        ("AdMiN", pseudonyms.MSG_RESERVED),
        ("aDMIN", pseudonyms.MSG_RESERVED),
        ("Fern0Admin", pseudonyms.MSG_RESERVED),
        ("Adm1n", pseudonyms.MSG_RESERVED),
        ("Kindred Staff", pseudonyms.MSG_RESERVED),
        ("KINDRED_SPIRIT", pseudonyms.MSG_RESERVED),
        ("Kin Dred", pseudonyms.MSG_RESERVED),
        ("Adm1n", pseudonyms.MSG_RESERVED),
        ("TheAdmin", pseudonyms.MSG_RESERVED),
        ("ADMINteam", pseudonyms.MSG_RESERVED),
        ("MODTeam", pseudonyms.MSG_RESERVED),
        ("Admin42", pseudonyms.MSG_RESERVED),
        ("1Mod", pseudonyms.MSG_RESERVED),
        ("mod42fern", pseudonyms.MSG_RESERVED),
        ("Sys Admin", pseudonyms.MSG_RESERVED),
        ("Support Team", pseudonyms.MSG_RESERVED),
        ("Official Fern", pseudonyms.MSG_RESERVED),
        ("System", pseudonyms.MSG_RESERVED),
        ("Dr Sam", pseudonyms.MSG_RESERVED),
        ("DrSam", pseudonyms.MSG_RESERVED),
        ("Nurse Joy", pseudonyms.MSG_RESERVED),
        ("Therapist", pseudonyms.MSG_RESERVED),
        ("Counsellor Kim", pseudonyms.MSG_RESERVED),
        ("\uff2d\uff2f\uff24", pseudonyms.MSG_RESERVED),  # fullwidth MOD
        ("\u0271od", pseudonyms.MSG_RESERVED),  # ɱ is Latin, so only the key catches it
    ],
)
def test_validate_refuses_with_a_message_that_says_what_would_work(name: str, message: str) -> None:
    assert validate(name) == message


def test_cyrillic_admin_is_refused() -> None:
    assert validate(clean("\u0430dmin")) is not None


def test_a_cleaned_name_with_hidden_controls_is_judged_on_what_remains() -> None:
    assert validate(clean("  Quiet\u202e  Harbor\u200b ")) is None


@pytest.mark.parametrize("message", MESSAGES)
def test_every_message_is_one_calm_plain_sentence(message: str) -> None:
    assert message[0].isupper() and message.endswith(".")
    assert message.count(". ") == 0 and "!" not in message
    assert not re.search(r"invalid|error|illegal|forbidden|must|not allowed", message, re.I)
