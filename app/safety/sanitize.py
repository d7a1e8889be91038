"""Member Markdown -> safe HTML, done once on write. The only module that imports bleach."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from typing import Any

from bleach import html5lib_shim
from bleach.sanitizer import Cleaner
from markdown_it import MarkdownIt

# Two walls. markdown-it never passes raw HTML through (html=False, and the HTML rules are
# disabled too in case someone flips the option), so typed tags come out as escaped text.
# bleach then re-parses the result and keeps only what is allow-listed below.
#
# Headings are switched off rather than demoted: a post has no use for a page-sized title,
# and "# text" / "text\n===" staying a plain paragraph needs no tag and no renumbering code.
# Images are switched off: an <img> loads from a third party as soon as the post is viewed
# (tracking pixels, shock content). "![a](url)" shows as "!" followed by an ordinary link.
_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .disable(["heading", "lheading", "image", "html_block", "html_inline"])
    .enable("strikethrough")
)

# "s" is what markdown-it emits for ~~strikethrough~~.
ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "s", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_Token = dict[str, Any]


# bleach ships no type hints, so its Filter base is Any to mypy.
class _LinkRel(html5lib_shim.Filter):  # type: ignore[misc]
    # Cleaner applies filters after its sanitiser, so the rel added here is not stripped
    # again, and a target that a future allow-list change might let through is removed.
    def __iter__(self) -> Iterator[_Token]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token["data"])
                attrs.pop((None, "target"), None)
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


_cleaner = Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    # Not strip: anything unexpected that reaches bleach is shown escaped, never silently
    # rearranged into something else.
    strip=False,
    strip_comments=True,
    filters=[_LinkRel],
)

# bleach documents Cleaner as not thread-safe (its html5lib parser keeps state), and sync
# FastAPI routes run in a thread pool. Rendering is CPU-bound under the GIL anyway, so one
# lock costs little and rules out two members' posts being mixed up.
_lock = threading.Lock()


def render_markdown(text: str) -> str:
    with _lock:
        return str(_cleaner.clean(_md.render(text)))


_text_only = Cleaner(tags=frozenset(), attributes={}, strip=True, strip_comments=True)
EXCERPT_LENGTH = 280


def plain_text(text: str, *, limit: int = EXCERPT_LENGTH) -> str:
    """The words of a post without markup, for lists and previews (escaped again on output)."""
    with _lock:
        stripped = str(_text_only.clean(_md.render(text)))
    words = " ".join(html.unescape(stripped).split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0] + "…"
