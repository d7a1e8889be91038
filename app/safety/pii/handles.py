"""Social handles named beside a platform ("insta: @name", "add me on snap, name_12"); a bare
"@name" is a Kindred @mention of a pseudonym and is left alone."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.safety.pii.common import _WORDS, _alternation, _Span

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
