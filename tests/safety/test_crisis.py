import re
import tomllib
from pathlib import Path

import pytest

from app.safety import crisis
from app.safety.crisis import (
    KINDS,
    RULES_FILE,
    CrisisSignal,
    HelpResource,
    detect_crisis,
    load_resources,
)

# (text, kind expected among the signals, or None where several readings are fair)
POSITIVE = [
    # suicidal intent, direct and indirect
    ("I want to die.", "suicidal_intent"),
    ("i just wanna die", "suicidal_intent"),
    ("Honestly I want to kill myself", "suicidal_intent"),
    ("I'm going to kill myself tonight", "suicidal_intent"),
    ("im gonna kill my self", "suicidal_intent"),
    ("i want to kil myself", "suicidal_intent"),
    ("kms", "suicidal_intent"),
    ("cant do this anymore kms", "suicidal_intent"),
    ("I think I should just kys honestly", "suicidal_intent"),
    ("I don't want to wake up tomorrow.", "suicidal_intent"),
    ("I hope I don't wake up in the morning", "suicidal_intent"),
    ("I just want to go to sleep and never wake up", "suicidal_intent"),
    ("Everyone would be better off without me.", "suicidal_intent"),
    ("my family would be happier if I was gone", "suicidal_intent"),
    ("Nobody would even notice if I disappeared.", "suicidal_intent"),
    ("I want to disappear forever.", "suicidal_intent"),
    ("I wish I could just disappear", "suicidal_intent"),
    ("I can't go on.", "suicidal_intent"),
    ("I can't do this anymore", "suicidal_intent"),
    ("i cant keep going like this", "suicidal_intent"),
    ("There is no reason to live.", "suicidal_intent"),
    ("I have nothing left to live for", "suicidal_intent"),
    ("What's the point of living anymore?", "suicidal_intent"),
    ("Life isn't worth living.", "suicidal_intent"),
    ("I'm so tired of being alive", "suicidal_intent"),
    ("I'm done with life.", "suicidal_intent"),
    ("I want to end it all", "suicidal_intent"),
    ("Tonight I'm going to end my life.", "suicidal_intent"),
    ("I've decided to take my own life", "suicidal_intent"),
    ("I'm suicidal again.", "suicidal_intent"),
    ("feeling really suicidal tonight", "suicidal_intent"),
    ("My suicidal thoughts are back and louder than ever", "suicidal_intent"),
    ("I keep thinking about suicide", "suicidal_intent"),
    ("I wish I was dead", "suicidal_intent"),
    ("I'd be better off dead", "suicidal_intent"),
    ("I don't want to be alive anymore", "suicidal_intent"),
    ("i dont want to live any more", "suicidal_intent"),
    ("I'm not sure I want to live anymore", "suicidal_intent"),
    ("I don't know if I want to be alive", "suicidal_intent"),
    ("I want it all to end.", "suicidal_intent"),
    ("Suicide feels like the only way out.", "suicidal_intent"),
    ("I'm a burden to everyone.", "suicidal_intent"),
    ("I've been thinking about ways to kill myself", "suicidal_intent"),
    ("I want to unalive myself", "suicidal_intent"),
    ("I wanna die so bad rn", "suicidal_intent"),
    ("I really dont see the point in living", "suicidal_intent"),
    ("I'm so done. I want to die", "suicidal_intent"),
    ("Hi all, want to die today.", "suicidal_intent"),
    ("He left me and now I just want to die", "suicidal_intent"),
    ("I'm not okay. I don't want to be here anymore.", "suicidal_intent"),
    ("I want to be dead", "suicidal_intent"),
    ("i want to diee", "suicidal_intent"),
    ("I'M GOING TO KILL MYSELF", "suicidal_intent"),
    ("I tried to kill myself last week and I still want to", "suicidal_intent"),
    ("I\u2019m going to end it tonight", "suicidal_intent"),
    ("I don't think I can go on much longer", "suicidal_intent"),
    ("I'm not suicidal but I do want to die", "suicidal_intent"),
    ("Whenever it gets dark I feel suicidal and I'm using my safety plan", "suicidal_intent"),
    # self-harm
    ("I want to hurt myself.", "self_harm"),
    ("I cut myself again last night", "self_harm"),
    ("I want to cut again tonight", "self_harm"),
    ("The urge to self harm is so strong right now", "self_harm"),
    ("i self harmed yesterday and i feel awful", "self_harm"),
    ("I've been cutting my arms again", "self_harm"),
    ("I used to cut. I want to again tonight.", "self_harm"),
    ("I was clean for two years but I relapsed and cut last night", "self_harm"),
    ("I keep burning myself with a lighter", "self_harm"),
    ("i need to cut so badly", "self_harm"),
    ("I hit myself until I bruise", "self_harm"),
    ("got the blades out again", "self_harm"),
    ("Two years clean from self-harm, but the urges are back and I'm scared", "self_harm"),
    ("I haven't cut in months but I want to", "self_harm"),
    ("My self-harm is getting worse", "self_harm"),
    # plan or means
    ("I've been saving my pills.", "plan_or_means"),
    ("I've been stockpiling my sleeping pills for weeks", "plan_or_means"),
    ("I'm going to overdose.", "plan_or_means"),
    ("I'm going to take all my pills tonight", "plan_or_means"),
    ("The rope is ready.", "plan_or_means"),
    ("I bought a rope today and I know what it's for", "plan_or_means"),
    ("I'm going to jump off the bridge", "plan_or_means"),
    ("I want to step in front of a train", "plan_or_means"),
    ("I've been suicidal for weeks. I have a plan now.", "plan_or_means"),
    ("I looked up how many paracetamol it would take", "plan_or_means"),
    ("I have enough pills to end it", "plan_or_means"),
    ("i have been hiding my meds from the nurses so i can take them all at once", None),
    ("I'm going to drive my car into a wall", "plan_or_means"),
    # goodbye
    ("This is my last post.", "goodbye"),
    ("Goodbye everyone. Thank you for trying.", "goodbye"),
    ("I've written the letters.", "goodbye"),
    ("I wrote a suicide note last night", "goodbye"),
    ("By the time you read this I'll be gone", "goodbye"),
    ("I won't be here tomorrow.", "goodbye"),
    ("Please look after my cat when I'm gone", "goodbye"),
    ("I've been giving away all my things", "goodbye"),
    ("Thanks for everything, this is goodbye", "goodbye"),
    ("i just wanted to say goodbye", "goodbye"),
    # immediate danger
    ("He says he'll kill me tonight.", "immediate_danger"),
    ("My husband threatened to kill me", "immediate_danger"),
    ("My boyfriend is going to hurt me when he gets home", "immediate_danger"),
    ("someone is trying to break in", "immediate_danger"),
    ("I'm on the bridge right now.", "immediate_danger"),
    ("I'm standing on the roof", "immediate_danger"),
    ("I'm on the edge.", "immediate_danger"),
    ("I've taken all my pills", "immediate_danger"),
    ("I took 30 tablets an hour ago", "immediate_danger"),
    ("I cut too deep and it won't stop bleeding", "immediate_danger"),
    ("I don't feel safe at home tonight", "immediate_danger"),
    ("I'm scared I'll do something stupid tonight", "immediate_danger"),
    ("He has a knife and he's screaming at me", "immediate_danger"),
    # multi-sentence and messy
    ("Rough week. Work was awful. Honestly I don't want to be alive anymore.", "suicidal_intent"),
    ("Three years ago I attempted. Now I'm thinking about it again.", None),
    ("I used to self harm as a teen. Lately the thoughts are coming back.", None),
    (
        "thank u all for the support over the years. this is my last post. ive written the letters",
        "goodbye",
    ),
    ("i dont want to die but i dont want to live either", "suicidal_intent"),
    ("no one would care if i died", "suicidal_intent"),
    ("Sorry to dump this here... i cant take it anymore", "suicidal_intent"),
    ("i want to sleep forever", "suicidal_intent"),
    ("I'm not going to lie, I want to die", "suicidal_intent"),
    ("Want to die.", "suicidal_intent"),
    ("wanna kms lol", "suicidal_intent"),
    ("been feeling suicidal", "suicidal_intent"),
    ("I'm thinking of ending it", "suicidal_intent"),
    ("my mum would be better off without me", "suicidal_intent"),
    ("I feel like ending it all", "suicidal_intent"),
    ("I want to go to sleep forever", "suicidal_intent"),
    ("Can't stop thinking about killing myself.", "suicidal_intent"),
    ("I can't stop wanting to die", "suicidal_intent"),
    ("I was doing well. Now I want to die.", "suicidal_intent"),
    ("When I was 15 I self-harmed, and now at 30 I want to again.", "self_harm"),
]

NEGATIVE = [
    # past / recovered
    "I used to self-harm, two years clean now.",
    "Three years ago I attempted; now I'm doing well.",
    "When I was a teenager I tried to kill myself. Today I'm a peer supporter.",
    "I was suicidal for years but I'm doing much better now.",
    "I haven't self-harmed since 2019 and I'm proud of that.",
    "Back then I wanted to die every day, but therapy helped.",
    "I stopped cutting four years ago.",
    "At 17 I overdosed. I'm 35 now and grateful to be alive.",
    "I'm a survivor of a suicide attempt and I volunteer at a crisis line.",
    "My scars from self harm have faded a lot.",
    "In 2015 I wrote a suicide note, but I got help in time.",
    "I used to think everyone would be better off without me, and I was wrong.",
    # third person / general
    "My friend died by suicide last year.",
    "Suicide rates are rising among young men.",
    "How do I support someone who self-harms?",
    "My sister is suicidal and I don't know how to help her.",
    "She said she wants to kill herself, what should I do?",
    "My brother overdosed last month and is in hospital.",
    "Suicidal thoughts are a common symptom of depression.",
    "Self-harm is not attention seeking.",
    "I'm writing an essay about suicide prevention.",
    "Does anyone know a good book about self-harm recovery?",
    "My son cuts himself and I'm frightened for him.",
    "He wants to die, he told me last night.",
    "If you're feeling suicidal, please call 988.",
    "It's suicide prevention week, share your resources below.",
    "My client has a history of self-harm.",
    # figurative
    "This exam is killing me.",
    "I could kill for a coffee right now.",
    "I'm dying to see the new film!",
    "Killing it at work this week.",
    "I'm dead tired after the night shift.",
    "I nearly died laughing at that video.",
    "I'd rather die than give a speech in public.",
    "I almost died of embarrassment.",
    "My phone died halfway through the call.",
    "I'm going to shoot myself in the foot if I keep procrastinating.",
    "I've been killing myself at the gym lately.",
    "My mum will kill me if I'm late again.",
    "I'm on the edge of my seat waiting for results.",
    "We'll cross that bridge when we come to it.",
    "I'm learning the ropes at my new job.",
    "I'm drowning myself in work to stay busy.",
    "I overdosed on chocolate this weekend, oops.",
    "I cut myself shaving this morning.",
    "I cut myself some slack today and rested.",
    "I want to cut my hair short.",
    "I need to cut back on sugar.",
    "I hurt myself at the gym.",
    "I burned myself on the oven.",
    "She beat me at chess again.",
    "I ran 10 kms this morning!",
    # negated
    "I'm not suicidal, just tired.",
    "I would never hurt myself.",
    "I don't want to die, I want things to get better.",
    "I'm not going to kill myself, I promise.",
    "No suicidal thoughts this week, which is a first.",
    "I have no urge to self harm anymore.",
    "I don't want to hurt myself anymore.",
    "I no longer want to die.",
    # ordinary medicine / saving
    "I take my pills every night.",
    "Saving up for a holiday in Spain.",
    "I forgot to take my meds this morning.",
    "I'm saving my energy for the weekend.",
    "My new tablets make me sleepy.",
    "I keep my pills in a weekly organiser.",
    # ordinary goodbyes, posts, plans
    "My last post got so many kind replies, thank you.",
    "I'm being discharged tomorrow, so goodbye everyone and thank you!",
    "I said goodbye to my old therapist today.",
    "I have a plan for my recovery now.",
    "Goodbye 2023, hello new year.",
    "I wrote a letter to my younger self in therapy today.",
    "I'm giving away my old clothes to charity.",
    "Is this the right place for my question? This is my first post.",
    # hypothetical and coping plans
    "If I ever feel suicidal again, I'll call my sister.",
    # everyday distress that is not crisis
    "I hate my life right now, work is awful.",
    "I feel so lonely lately.",
    "I'm really struggling with my anxiety.",
    "I want to disappear into a good book this weekend.",
    "I can't go on the trip next week.",
    "I want to end it with my boyfriend.",
    "I don't want to wake up early tomorrow.",
    "The roof is leaking again.",
    "The bridge near my house is closed for repairs.",
    "I'm at the end of a long day.",
    "My dad has a knife collection.",
    "I relapsed on alcohol after 90 days sober.",
    "Today was hard but I'm still here and that's enough.",
    "I feel dead inside some days but the group helps.",
    "i'm going to kill it at my interview tomorrow",
    "That joke killed me lol",
    "My plants are dying because I forget to water them.",
]


@pytest.mark.parametrize(("text", "kind"), POSITIVE, ids=[t for t, _ in POSITIVE])
def test_crisis_post_is_flagged(text: str, kind: str | None) -> None:
    signals = detect_crisis(text)
    assert signals, "expected a crisis signal"
    if kind is not None:
        assert kind in {s.kind for s in signals}


@pytest.mark.parametrize("text", NEGATIVE, ids=NEGATIVE)
def test_hard_negative_is_not_flagged(text: str) -> None:
    assert detect_crisis(text) == []


def test_tables_are_large_and_distinct() -> None:
    assert len(POSITIVE) >= 70
    assert len(NEGATIVE) >= 70
    assert len({t for t, _ in POSITIVE}) == len(POSITIVE)
    assert len(set(NEGATIVE)) == len(NEGATIVE)
    assert not {t for t, _ in POSITIVE} & set(NEGATIVE)


def _fullwidth(text: str) -> str:
    return "".join("\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) for ch in text)


RULE_IDS = {rule["id"] for rule in tomllib.loads(RULES_FILE.read_text("utf-8"))["rule"]}


@pytest.mark.parametrize("text", [t for t, _ in POSITIVE], ids=[t for t, _ in POSITIVE])
def test_every_signal_points_at_words_inside_the_text(text: str) -> None:
    signals = detect_crisis(text)
    assert signals == sorted(signals, key=lambda s: (s.start, s.end, s.rule))
    assert len(set(signals)) == len(signals)
    for signal in signals:
        assert 0 <= signal.start < signal.end <= len(text)
        quoted = text[signal.start : signal.end]
        assert quoted == quoted.strip() and quoted[0].isalnum() and quoted[-1].isalnum()
        assert signal.kind in KINDS
        assert signal.rule in RULE_IDS


@pytest.mark.parametrize(
    ("text", "quoted", "kind"),
    [
        ("I feel awful. I want to kill myself.", "kill myself", "suicidal_intent"),
        ("This is my last post.", "This is my last post", "goodbye"),
        ("He says he'll kill me tonight", "he'll kill me", "immediate_danger"),
        ("I've been saving my pills", "saving my pills", "plan_or_means"),
        ("The rope is ready", "rope is ready", "plan_or_means"),
        ("i want to hurt myself", "hurt myself", "self_harm"),
        # Offsets count characters of the text as given, whatever came before.
        ("Héllo 😊 — naïve café. I want to die", "want to die", "suicidal_intent"),
        ("I don\u2019t want to be alive anymore", "don\u2019t want to be alive", "suicidal_intent"),
        ("I want to k\u200bill myself", "k\u200bill myself", "suicidal_intent"),
        (
            _fullwidth("IT'S OVER") + ". I want to " + _fullwidth("kill myself"),
            _fullwidth("kill myself"),
            "suicidal_intent",
        ),
        ("İİİ ﬁne. I want to die", "want to die", "suicidal_intent"),
    ],
)
def test_signal_offsets_quote_the_original_text(text: str, quoted: str, kind: str) -> None:
    found = [s for s in detect_crisis(text) if text[s.start : s.end] == quoted]
    assert found, [(s, text[s.start : s.end]) for s in detect_crisis(text)]
    assert kind in {s.kind for s in found}


def test_signal_is_a_frozen_value() -> None:
    signal = detect_crisis("I want to die")[0]
    assert signal == CrisisSignal(signal.kind, signal.start, signal.end, signal.rule)
    with pytest.raises(AttributeError):
        signal.kind = "goodbye"  # type: ignore[misc]


def test_past_cue_in_one_sentence_does_not_cancel_the_next() -> None:
    assert detect_crisis("I used to cut myself.") == []
    signals = detect_crisis("I used to cut myself. I want to again tonight.")
    assert {s.kind for s in signals} == {"self_harm"}
    assert all(s.start > len("I used to cut myself.") for s in signals)


def test_negation_reaches_only_its_own_clause() -> None:
    assert detect_crisis("I'm not suicidal") == []
    assert detect_crisis("I'm not suicidal, but I want to die") != []


def test_kys_at_someone_else_is_abuse_not_a_crisis_of_the_writer() -> None:
    assert detect_crisis("you should kys") == []
    assert detect_crisis("lol kys") == []
    assert detect_crisis("i should just kys") != []


def test_kms_as_kilometres_is_not_flagged() -> None:
    assert detect_crisis("ran 5 kms before work") == []
    assert detect_crisis("ugh kms") != []


def test_empty_and_blank_posts_are_not_crisis() -> None:
    assert detect_crisis("") == []
    assert detect_crisis(" \n\t ") == []


def test_a_100k_character_post_is_read_to_the_end() -> None:
    filler = "Today I walked the dog, made soup and called my sister. " * 1800
    text = filler + "I want to end my life."
    assert len(text) > 100_000
    signals = detect_crisis(text)
    assert signals and all(s.start >= len(filler) for s in signals)
    assert detect_crisis(filler) == []
    # One sentence with no punctuation at all, as long as the rest.
    assert detect_crisis("and then " * 12_000 + "i want to die") != []


@pytest.mark.parametrize(
    "text",
    [
        "\u202eeid ot tnaw I\u202c",
        "e\u0301" * 500,
        "👩\u200d👩\u200d👧" * 300,
        "\ud800 lone surrogate \udfff",
        "\x00\x01\x02 control \x7f",
        "\u00df" * 1000 + " \u01c5 \u01c8 \ufb00 \ufb03 \u1e9e \u0130 \u0131",
        "日本語の文章です。死にたいとは書いていません。",
        "ﷺ" * 200,
        "\n" * 5000,
        "..." * 3000,
        "'" * 4000,
        "a" * 20_000,
    ],
)
def test_odd_unicode_does_not_crash(text: str) -> None:
    for signal in detect_crisis(text):
        assert 0 <= signal.start < signal.end <= len(text)


# --- the rules file -----------------------------------------------------------------------------


def _rules_text() -> str:
    return RULES_FILE.read_text(encoding="utf-8")


def test_rules_file_has_a_version_and_every_rule_has_the_required_keys() -> None:
    data = tomllib.loads(_rules_text())
    assert isinstance(data["version"], str) and data["version"] == crisis.RULES_VERSION
    ids = [rule["id"] for rule in data["rule"]]
    assert len(ids) == len(set(ids))
    for rule in data["rule"]:
        assert rule["kind"] in KINDS or (rule["kind"] == "topic" and rule["needs_topic"])
        assert rule["patterns"] and all(isinstance(p, str) for p in rule["patterns"])
        assert isinstance(rule.get("unless", []), list)


def test_every_rule_carries_a_rationale_and_its_known_false_positives() -> None:
    blocks = _rules_text().split("[[rule]]")[1:]
    assert len(blocks) == len(RULE_IDS)
    for block in blocks:
        rule_id = re.search(r'^id = "([^"]+)"', block, re.MULTILINE)
        assert rule_id, block[:80]
        assert "# rationale:" in block, rule_id.group(1)
        assert "# known false positives:" in block, rule_id.group(1)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_CONTEXT = """
version = "test"
[context]
sentence_break = ['[.]']
clause_break = [',']
contrast = ['but']
negation = ['not $']
hypothetical = ['if i ever']
past = ['used to']
present = ['now']
figurative = ['dying to']
first_person = '\\bi\\b'
other_person = '\\bhe\\b'
"""


def test_a_minimal_rules_file_compiles(tmp_path: Path) -> None:
    text = MINIMAL_CONTEXT + "[[rule]]\nid = 'x'\nkind = 'goodbye'\npatterns = ['farewell']\n"
    assert crisis.load_rules(_write(tmp_path, text)).version == "test"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("id = 'x'\nkind = 'sadness'\npatterns = ['a']", "unknown kind"),
        ("id = 'x'\nkind = 'goodbye'\npatterns = ['(unclosed']", "bad pattern"),
        ("id = 'x'\nkind = 'goodbye'\npatterns = ['{nope}']", "unknown macro"),
        ("id = 'x'\nkind = 'goodbye'\npatterns = []", "non-empty list"),
        ("kind = 'goodbye'\npatterns = ['a']", "missing or duplicate id"),
        ("id = 'x'\nkind = 'goodbye'\npatterns = ['a']\nsubject = 'them'", "bad subject"),
    ],
)
def test_a_malformed_rule_is_refused_with_a_clear_message(
    tmp_path: Path, rule: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        crisis.load_rules(_write(tmp_path, MINIMAL_CONTEXT + "[[rule]]\n" + rule + "\n"))


def test_a_rules_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        crisis.load_rules(_write(tmp_path, "version = \n"))


# --- help-now resources -------------------------------------------------------------------------


def test_bundled_resources_load_and_start_with_emergency_services() -> None:
    resources = load_resources()
    assert len(resources) >= 5
    assert all(isinstance(r, HelpResource) and r.name and r.contact for r in resources)
    assert "Emergency" in resources[0].name and "112" in resources[0].contact
    contacts = " ".join(r.contact for r in resources)
    for number in ("116 123", "988", "741741", "85258", "13 11 14"):
        assert number in contacts
    assert all(r.url is None or r.url.startswith("https://") for r in resources)


def test_bundled_resources_file_tells_deployments_to_replace_it() -> None:
    text = crisis.RESOURCES_FILE.read_text(encoding="utf-8")
    assert "replace" in text.lower() and "KINDRED_HELP_RESOURCES_FILE" in text


def test_a_deployment_file_of_resources_is_used_instead(tmp_path: Path) -> None:
    path = tmp_path / "help.toml"
    path.write_text(
        '[[resource]]\nname = "Local line"\ncontact = "Call 0800 000 000"\nregion = "Here"\n'
        '[[resource]]\nname = "Web chat"\ncontact = "Chat online"\nurl = "https://example.org"\n',
        encoding="utf-8",
    )
    assert load_resources(path) == [
        HelpResource("Local line", "Call 0800 000 000", None, "Here"),
        HelpResource("Web chat", "Chat online", "https://example.org", None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "not toml at all [[[",
        "",
        "resource = 'a string'",
        '[[resource]]\nname = "No contact"\n',
        '[[resource]]\ncontact = "No name"\n',
        '[[resource]]\nname = ""\ncontact = "x"\n',
        '[[resource]]\nname = "A"\ncontact = 988\n',
        '[[resource]]\nname = "A"\ncontact = "x"\nphone = "typo for contact"\n',
        '[[resource]]\nname = "A"\ncontact = "x"\nurl = ""\n',
    ],
)
def test_a_malformed_resources_file_raises_value_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "help.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="help resources file"):
        load_resources(path)


def test_a_missing_resources_file_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be read"):
        load_resources(tmp_path / "nowhere.toml")
