"""The context policy every stigma rule shares: quoted, reported, named, denied or rebutted words,
the writer describing themself, and titles and names are not uses."""

from __future__ import annotations

import re

from app.safety.stigma.lexicon import _FLAGS, _LEXICON, _Rule

# Every helper reads a short window of the (folded) text around a match: `before` ends
# where the match starts, `after` begins where it ends.
_WINDOW = 160
_SENTENCE_HEAD = re.compile(r"[^.!?\n]*")
_QUOTE_OPEN = re.compile(r"""(?:^|(?<=[\s(\[{:,/-]))["'`](?:[^"'`\n]|(?<=\w)'(?=\w))*\Z""")
_QUOTE_CLOSE = re.compile(r"""(?:[^"'`\n]|(?<=\w)'(?=\w))*?["'`](?!\w)""")

_SPEECH_VERBS = r"""say|says|said|saying|tell|tells|told|telling|think|thinks|thought|
  believe|believes|believed|assume|assumes|assumed|yell|yells|yelled|yelling|shout|shouts|
  shouted|shouting|scream|screams|screamed|screaming|claim|claims|claimed|insist|insists|
  insisted|whisper|whispered|mutter|muttered|joke|jokes|joked|joking|imply|implies|implied|
  suggest|suggests|suggested|hint|hinted|wrote|written|commented|texted|messaged|tweeted|
  posted|according\s+to|reckon|reckons|reckoned|(?:goes|going|went|banging|harping)\s+on\s+about"""
# Only forms that are not also nouns ("in my view", "the text", "a call" would misfire).
_CALL_VERBS = r"""call|calls|called|calling|labell?ed|labell?ing|branded|branding|named|
  accuse|accuses|accused|accusing|mocked|mocking|teased|teasing|dismissed|dismissing|
  refer\w*\s+to|dubbed|treat|treats|treated|treating|
  (?:see|sees|saw|seen|view|views|viewed|look\w*\s+at|think\s+of|thinks\s+of|thought\s+of)
  (?=\W+(?:\w+\W+){0,2}(?:as|like)\W)"""
# "they called me a psycho", "my dad said I was an attention seeker", "people think addicts
# are lazy": someone else's words, reported. Call-type verbs take a short object; speech
# verbs take a short clause.
_REPORTED = re.compile(
    rf"""(?<![\w'])(?:(?:{_CALL_VERBS})(?:\W+\w+){{0,3}}?
           (?:\W+(?:a|an|the|as|like|such\s+an?|some\s+kind\s+of|all))?
         | (?:{_SPEECH_VERBS})(?:\W+\w+){{0,6}}?)
        [\s,:'"-]*\Z""",
    _FLAGS,
)
_PASSIVE = re.compile(
    r"(?:was|were|been|being|be|get|gets|got|getting|am|is|are|'m|'s|'re|m)\W+(?:\w+\W+)?\Z",
    _FLAGS,
)
# "I think he's a psycho" and "I'd call him a lunatic" are the writer's own view.
_OWN_VIEW = re.compile(
    r"""(?<![\w'])(?:i|we|i'd|we'd|i'll|we'll|i've|we've|i'm|we're|id|ill|ive|im)
        \W+(?:\w+\W+){0,1}\Z""",
    _FLAGS,
)
# "he's not a psycho", "I'm not an attention seeker": the writer rejects the label.
_DENIED = re.compile(r"(?:\bnot|n't|\bnever|\bno\s+longer)\s+(?:(?:just|really)\s+)?(?:an?\s+)?\Z")
# "I'm an addict but not a junkie", "at least I'm not a crackhead": the denial sets the writer
# apart from the people the word is aimed at, so the word is still used as a slur.
_CONTRAST = re.compile(
    r"\bat\s+least\b|\bbut\s+(?:i'?m\s+|im\s+|i\s+am\s+)?(?:not|never)\s+(?:an?\s+)?\Z"
)
# "addicts are scum - that's what my dad said", "..., my uncle told me": someone else's words,
# reported after them. A speech verb that ends its clause, or "that's what ... said".
_REPORTED_AFTER = re.compile(
    r"""[^.!?\n]{0,100}?(?:[,;:]|\s[-\u2013\u2014]|[\u2013\u2014])\s*(?:
        (?:that's|thats|that\s+is|this\s+is|is|was|that\s+was|that's\s+exactly)\s+what\s+
        (?:\w+'s\s+|\w+\s+){1,3}?(?:said|says|say|told|tells|thinks|think|thought|believes|
        believed|reckons|reckoned|wrote|writes|posted|shouted|yelled|screamed|texted|messaged|
        commented|used\s+to\s+say|always\s+says|always\s+said|kept\s+saying|taught)\b
      | (?:my|his|her|their|our|some|the|people|someone|somebody|everyone|they|\w+'s)
        (?:\s+[\w'-]+){0,3}?\s+(?:said|says|told\s+(?:me|us)|tells\s+(?:me|us)|used\s+to\s+say|
        always\s+says|always\s+said|kept\s+saying|wrote|posted|texted|commented|shouted|yelled)
        (?=\s*(?:[.!?,;]|$)|\s+(?:once|when|at|after|before|yesterday|today|last|to\s+me|to\s+us)\b))""",
    _FLAGS,
)
# "..., that's what my dad says and he's right": reported, then taken on as the writer's own.
_ENDORSED = re.compile(
    r"""[^.!?\n]{0,120}?[\s,;-](?:and|but|&|tbh|honestly|which)\s+(?:tbh\s+|honestly\s+)?
        (?:he|she|they|he's|hes|she's|shes|they're|theyre|it's|its|that's|thats|my\s+\w+|i\s+think\s+\w+)
        (?:'s|'re|\s+is|\s+are|\s+was|\s+were)?\s+(?:so\s+|totally\s+|absolutely\s+|dead\s+|
        100%\s+|completely\s+|not\s+)?(?:right|correct|spot\s+on|true|wrong\s+(?:tbh|though))\b""",
    _FLAGS,
)
# For a rule whose wording is the writer's own (own_words): "people say committed suicide"
# names the phrase; "they say he committed suicide" uses it.
_SAID_PHRASE = re.compile(
    r"""\b(?:say|says|said|saying|write|writes|wrote|writing|call|calls|called|calling|hear|
        hearing|heard)\s+(?:the\s+(?:phrase|words?|term)\s+|things\s+like\s+)?\Z""",
    _FLAGS,
)
# "the word psycho", "stop using retard", "terms like crackhead".
_MENTION = re.compile(
    r"""\b(?:word|words|term|terms|phrase|phrases|label|labels|slur|slurs|expression|
        expressions|insult|insults|language|use|uses|used|using|write|writing|wrote|type|
        typing|typed|heard|hearing)(?:\s+(?:like|such\s+as|as|of))?\s*[:,-]?\s*
        (?:(?:a|an|the)\s+)?\Z""",
    _FLAGS,
)
# "'psycho' is a slur", "junkie is such a hurtful word".
_CRITIQUE_AFTER = re.compile(
    r"""\W{0,3}\s*(?:is|are|was|were|isn't|aren't|'s)\s+
        (?:(?:such|so|really|very|a|an|the|still|just|not|deeply|pretty|incredibly|hurtful|
          nasty|ugly|horrible|awful|cruel)\s+){0,3}
        (?:slur|slurs|offensive|hurtful|stigmati[sz]ing|ableist|derogatory|harmful|outdated|
          disrespectful|insulting|insult|insults|cruel|not\s+ok(?:ay)?|unkind|demeaning|
          dehumani[sz]ing|word|words|term|terms|label|labels)\b
      | \W{0,3}\s*(?:as\s+an?\s+(?:insult|slur|joke))""",
    _FLAGS,
)
# For claims about a group: "it's a myth that ...", "... which is not true".
_MYTH_BEFORE = re.compile(
    r"""\b(?:myths?|stereotypes?|misconceptions?|assumptions?|idea|ideas|notion|beliefs?|lies?|
        tropes?|narratives?|stigma|not\s+true|untrue|false|nonsense|ridiculous|wrong|
        bullshit|misinformation)\s*[:,]?\s*(?:is\s+|are\s+)?(?:that\s+|about\s+how\s+|like\s+)?
        (?:(?:all|most)\s+)?\Z""",
    _FLAGS,
)
# "it's a myth that people with depression just need to man up": the whole clause after
# "myth that" is the rebutted claim, wherever in it the match starts.
_MYTH_THAT = re.compile(
    r"""\b(?:myths?|stereotypes?|misconceptions?|lies?|tropes?)\s+(?:is\s+)?that\s+
        [^,;:]{0,80}\Z""",
    _FLAGS,
)
_MYTH_AFTER = re.compile(
    r"""[^.\n]{0,80}?(?:
        \b(?:is|are|'s|was|that's|thats|it's|its)\s+
          (?:(?:just|simply|such|a|an|the|total|complete|harmful|dangerous|damaging|tired|old|
            outdated|common|big|huge)\s+)*
          (?:myths?|stereotypes?|misconceptions?|lies?|false|untrue|nonsense|rubbish|
            bullshit|bs|wrong|stigma|ignorant|ignorance)\b
      | \b(?:isn't|is\s+not|aren't|are\s+not|ain't|not)\s+
          (?:true|right|fair(?!\s+(?:on|to|for)\b)|accurate|the\s+case)\b
      | \b(?:i\s+)?(?:don't|dont|do\s+not|never)\s+(?:believe|buy|agree\s+with)\s+
          (?:that|it|this)\b
      | \b(?:that's|thats|that\s+is|it's|its|it\s+is)\s+not\s+(?:why|the\s+reason|because)\b)""",
    _FLAGS,
)
_PERSON_MARKER = re.compile(
    r"""(?<![\w'])(?:
        (?P<self>i|i'm|im|i've|ive|i'd|i'll|me|myself|we|we're|we've|we'd|us|ourselves)
      | (?P<other>you|you're|youre|u|ur|your|yours|yourself|he|he's|hes|him|his|himself|she|
          she's|shes|her|hers|herself|they|they're|theyre|them|their|themselves|it|it's|its|
          my|our|is|are|isn't|aren't|people|someone|somebody|everyone|anyone|who|whose)
      )(?![\w'])
    | (?P<cop>'s|'re)(?![\w'])""",
    _FLAGS,
)
_MY_BEFORE = re.compile(r"\bmy\s+(?:own\s+)?\Z", _FLAGS)
# "I'm a recovering junkie", "I felt like a crazy person": only linking words between the
# writer and the label. Anything else ("I married a crazy person") means someone else.
_SELF_LINK = re.compile(
    r"""(?:[\s,'-]|\b(?:m|am|was|were|ve|been|be|being|become|became|becoming|get|got|
        getting|feel|feels|felt|feeling|like|as|not|no|longer|once|still|just|only|really|
        always|a|an|the|such|total|complete|former|recovering|recovered|ex|reformed|proper|
        full|blown|fucking|bit|of|kind|sort|kinda|sorta|literally|basically|ever|never|used|
        to|also|too|one|now|then|considered|diagnosed|honestly|probably|actually|
        definitely|totally|absolutely|pretty|much|little|big|huge|old|functioning|high|
        active|sober|clean|some|lifelong|certified)\b)*\Z""",
    _FLAGS,
)
_LIKE_A = re.compile(r"\blike\s+(?:a|an|some|the)\s+\Z", _FLAGS)
_SELF_AFTER = re.compile(
    r"""\W*(?:myself|ourselves|like\s+(?:me|us|myself)\b|in\s+recovery\b|
        ,\s*(?:i|i'm|im|i've|i'd|we|we're)(?![\w']))""",
    _FLAGS,
)


def _clause_tail(before: str) -> str:
    # str.rfind, not a regex: "[^.!?;]*\\Z" retries from every position and is quadratic.
    return before[max(before.rfind(c) for c in ".!?;\n") + 1 :]


def _is_self(mode: str, clause: str, after: str) -> bool:
    if mode == "subject" and _MY_BEFORE.search(clause):
        return True  # "my failed suicide attempt", "my depression is just laziness"
    markers = list(_PERSON_MARKER.finditer(clause))
    if not markers:
        return _SELF_AFTER.match(after) is not None  # "As a recovering junkie, I ..."
    last = markers[-1]  # the nearest person before the match is who it is about
    if last.lastgroup != "self":
        return False
    if mode == "subject":
        return True
    between = clause[last.end() :]
    return _SELF_LINK.match(between) is not None or _LIKE_A.search(between) is not None


# "..., yelling at pigeons again, proper nutter", "lol what a psycho": a verbless fragment
# after a comma or a laugh names the person just described. It is the writer's own verdict,
# even when a reporting verb ("yelling", "said") stands earlier in the clause.
_FRAGMENT = re.compile(
    r"""(?:[,;:!?.\u2013\u2014-]|\b(?:lol|lmao|haha\w*|honestly|tbh|ngl))\s*
        (?:(?:what|such)\s+an?\s+(?:\w+\s+)?
         | (?:an?\s+)?(?:(?:proper|total|complete|absolute|utter|right|real|bloody|fucking|
             effing|massive|raging|certified)\s+)+)\Z""",
    _FLAGS,
)


def _is_reported(clause: str) -> bool:
    if _FRAGMENT.search(clause[-40:]):
        return False
    m = _REPORTED.search(clause)
    if m is None:
        return False
    head = clause[: m.start()]
    if _PASSIVE.search(head):
        return True  # "I was told", "I get called"
    return _OWN_VIEW.search(head) is None


# A match inside a capitalised name is a title or a proper name: "Maniac Mansion", "the
# County Lunatic Asylum", "One Flew Over the Cuckoo's Nest". Small words may join the
# capitalised ones ("Diary of a Madman"), but not a lone "a": "Dave's a Psycho" is an insult.
_JOIN = r"(?:(?:of|the|and|in|on|at|to|for|from|with|vs|&)(?:[ \t]+(?:a|an|the))?[ \t]+)?"
_CAP = r"(?<![\w'-])(?:[A-Z][a-z][\w'-]*|[A-Z])(?![\w'-])"
_NAME_LEFT = re.compile(rf"(?:{_CAP}[ \t]+{_JOIN})+\Z")
_NAME_RIGHT = re.compile(rf"(?:[ \t]+{_JOIN}{_CAP})+")
# "the game maniac", "the film Psycho", "a show called Lunatic".
_TITLE_BEFORE = re.compile(
    r"""\b(?:the|a|an|that|this|his|her|their|my|your|our|tv|netflix|new|old|classic|video|
        board|cult|horror|indie)\s+(?:game|film|movie|book|novel|album|song|track|show|series|
        musical|band|podcast|documentary|comic|manga|anime|poem|sitcom|programme|program|
        play|ep)\s+(?:called\s+|titled\s+|named\s+)?["'*_]*\Z""",
    _FLAGS,
)


def _sentence(text: str, start: int) -> str:
    # At most _WINDOW characters either side: a post with no full stops is not one sentence
    # to search again for every match in it.
    head = _clause_tail(text[max(0, start - _WINDOW) : start])
    tail = _SENTENCE_HEAD.match(text, start, start + _WINDOW)
    return head + (tail.group() if tail is not None else "")


def _sentence_start(text: str, at: int) -> bool:
    prefix = text[max(0, at - 40) : at].rstrip(" \t\"'([*_#>-")
    return not prefix or prefix[-1] in ".!?:\n"


def _in_name(text: str, start: int, end: int) -> bool:
    words = text[start:end].split()
    if not all(w[0].isupper() and not (len(w) > 1 and w.isupper()) for w in words):
        return False  # "PSYCHO!!!" is shouting; "psycho" is not a name
    left = _NAME_LEFT.search(text, max(0, start - 60), start)
    right = _NAME_RIGHT.match(text, end, min(len(text), end + 60))
    around = (left.group().split() if left else []) + (right.group().split() if right else [])
    names = [w for w in around if w[0].isupper()]
    starters, not_name = _LEXICON.sentence_starters, _LEXICON.not_name_words
    if left and names[0].lower() in starters and _sentence_start(text, left.start()):
        names = names[1:]  # "That Psycho on the bus": the first word of a sentence
    if any(w.lower() in not_name for w in [*words, *names]):
        return False
    if names:
        return True
    lo, hi = (left.start() if left else start), (right.end() if right else end)
    mark = text[lo - 1 : lo] if lo else ""
    return mark in ("*", "_") and text[hi : hi + 1] == mark  # *Maniac*: italics name a work


# Informal posts write titles in lower case: "just watched american psycho again". A lower-case
# title counts only with a film or book cue in the sentence, and a one-word title only right
# after a viewing verb ("watched psycho last night", not "he's psycho").
_LOW_TITLE_BEFORE = re.compile(
    r"""\b(?:watched|watching|watch|rewatch(?:ed|ing)?|re-watch(?:ed|ing)?|seen|saw|see|
        reading|read|hitchcock's|remake\s+of|sequel\s+to|episode\s+of|season\s+\d+\s+of)\s+\Z""",
    _FLAGS,
)


def _is_low_title(low: str, start: int, end: int) -> bool:
    for m in _LEXICON.titles_low.finditer(low, max(0, start - 40), min(len(low), end + 40)):
        if m.start() <= start and m.end() >= end:
            one_word = " " not in m.group() and "-" not in m.group()
            if one_word and not _LOW_TITLE_BEFORE.search(low, max(0, m.start() - 30), m.start()):
                continue
            return _LEXICON.title_cues.search(_sentence(low, m.start())) is not None
    return False


def _is_title(text: str, low: str, start: int, end: int) -> bool:
    # "the film psycho"; but "my show gave me depression" is a phrase, not a title.
    if " " not in low[start:end] and _TITLE_BEFORE.search(low, max(0, start - 60), start):
        return True
    if text[start:end].islower():
        # titles are matched case-sensitively, and each word is capitalised
        return _is_low_title(low, start, end)
    if _in_name(text, start, end):
        return True
    for m in _LEXICON.titles.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if m.start() <= start and m.end() >= end:
            if " " in m.group() or "-" in m.group():
                return True
            return _LEXICON.title_cues.search(_sentence(low, m.start())) is not None
    if " " in text[start:end] or _sentence_start(text, start):
        return False
    # A capitalised word inside a sentence about a film or book: "I loved Maniac on Netflix".
    return _LEXICON.title_cues.search(_sentence(low, start)) is not None


def _verdict(rule: _Rule, text: str, cased: str, start: int, end: int) -> str | None:
    """None when the word is used as the rule means; otherwise why not: "mention" (quoted,
    reported, named, rebutted, a title: the words are not the writer's own use), "rule" (the
    rule's own context conditions), "denied" or "self"."""
    # Each check reads only as far as it needs: a reporting verb is a few words back, a
    # quotation mark is on the same line. Every check can only veto, so the cheap ones
    # come first.
    before = text[max(0, start - _WINDOW) : start]
    after = text[end : end + _WINDOW]
    if rule.not_before is not None and rule.not_before.search(before, len(before) - 80):
        return "rule"
    if rule.not_after is not None and rule.not_after.match(after):
        return "rule"
    # needs_before names who the word is about ("my dad went mental"), so a rule with it
    # skips the title check below: "he's gone full Looney Tunes".
    if rule.needs_before is not None and not rule.needs_before.search(
        before, max(0, len(before) - 80)
    ):
        return "rule"
    if rule.not_in_sentence is not None or rule.needs_in_sentence is not None:
        sentence = _sentence(text, start)
        if rule.not_in_sentence is not None and rule.not_in_sentence.search(sentence):
            return "rule"
        if rule.needs_in_sentence is not None and not rule.needs_in_sentence.search(sentence):
            return "rule"
    near = _clause_tail(before)[-100:]
    if _MENTION.search(near[-40:]):
        return "mention"
    if _DENIED.search(near[-30:]) and not _CONTRAST.search(near):
        return "denied"
    if _CRITIQUE_AFTER.match(after):
        return "mention"
    if rule.own_words:
        if _SAID_PHRASE.search(near[-40:]):
            return "mention"
    elif (_is_reported(near) or _REPORTED_AFTER.match(after)) and not _ENDORSED.match(after):
        return "mention"
    if rule.claim and (
        _MYTH_BEFORE.search(near[-60:]) or _MYTH_THAT.search(near) or _MYTH_AFTER.match(after)
    ):
        return "mention"
    if rule.self_ok is not None and _is_self(rule.self_ok, near, after):
        return "self"
    newline = before.rfind("\n")
    line = before[newline + 1 :]
    if (newline != -1 or start <= _WINDOW) and line.lstrip().startswith(">"):
        return "mention"  # a Markdown blockquote: someone else's words
    if any(q in line for q in "\"'`") and _QUOTE_CLOSE.match(after) and _QUOTE_OPEN.search(line):
        return "mention"
    if rule.needs_before is None and _is_title(cased, text, start, end):
        return "mention"
    return None
