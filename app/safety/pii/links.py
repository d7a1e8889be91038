"""Links to a personal profile on a known platform; link shorteners and personal domains are not
profile links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.safety.pii.common import _scan, _Span

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
    r"|goodreads\.com/(?:user/show|author/show)/[\w-]+|strava\.com/athletes/[0-9]+"
    r"|letterboxd\.com/(?!(?:film|films|lists|members|journal|about|pro|search|sign-in|"
    r"create-account|settings|activity|apps|legal|contact)\b)[\w-]+"
    r"|duolingo\.com/profile/[\w.-]+|archiveofourown\.org/users/[\w-]+"
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
