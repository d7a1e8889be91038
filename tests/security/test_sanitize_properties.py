"""Properties of the Markdown -> HTML sanitiser for arbitrary text, found by Hypothesis.

The text is generated from the pieces attacks are made of: tags and attributes, event
handlers, javascript:/data:/vbscript: URLs (cased, entity-encoded and broken up by controls),
entities, Markdown links, images and autolinks, and odd Unicode. Derandomised and bounded, so
CI runs the same examples every time.
"""

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.safety import sanitize
from app.safety.sanitize import plain_text, render_markdown

PROPERTIES = settings(
    max_examples=500,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

VOID = {"br", "hr"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers drop ASCII tab and newline anywhere in a URL, and C0 controls and space at its ends.
URL_NOISE = re.compile(r"[\x00-\x20\x7f]")

TAGS = [
    "script", "img", "svg", "a", "iframe", "style", "math", "p", "b", "noscript", "textarea",
    "title", "xmp", "template", "object", "embed", "base", "form", "input", "details", "ol",
]  # fmt: skip
ATTRIBUTES = [
    "onerror", "onload", "onclick", "ONMOUSEOVER", "href", "src", "style", "srcdoc", "title",
    "rel", "start", "formaction", "xlink:href", "action", "data",
]  # fmt: skip
SCHEME_PARTS = [
    "javascript", "JaVaScRiPt", "java\tscript", "java&#x09;script", "&#106;avascript",
    "&#x6A;avascript", "vbscript", "data", " \x01javascript", "jav\x00ascript",
]  # fmt: skip
ODD = [
    "\u202e", "\u200b", "\ufeff", "\u2028", "\x00", "\x0c", "\r", "\ud7ff", "\U0001f600",
    "\u0301", "\uff1c", "\u2039", "\ufe64", "\x85",
]  # fmt: skip

scheme = st.builds(
    lambda name, sep, body: name + sep + body,
    st.sampled_from(SCHEME_PARTS),
    st.sampled_from([":", "&colon;", "&#58;", "&#x3a;", "&#0000058", "%3A"]),
    st.sampled_from(["alert(1)", "text/html;base64,PHNjcmlwdD4=", "msgbox(1)", "//x"]),
)
url = st.one_of(
    scheme, st.sampled_from(["https://example.org/a?b=c&d", "/x", "#top", "mailto:a@b.c"])
)
entity = st.sampled_from(
    ["&lt;", "&gt;", "&amp;", "&quot;", "&#60;", "&#x3C;", "&#0;", "&nbsp;", "&"]
)
quote = st.sampled_from(['"', "'", "`", ""])


@st.composite
def attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    q = draw(quote)
    value = draw(st.one_of(url, st.sampled_from(["alert(1)", "x", "javascript:alert(1)"])))
    return f"{name}={q}{value}{q}"


@st.composite
def tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(TAGS))
    attrs = " ".join(draw(st.lists(attribute(), max_size=3)))
    spelled = draw(st.sampled_from([name, name.upper()]))
    opener = f"<{spelled} {attrs}{draw(st.sampled_from(['>', '/>', '']))}"
    inner = draw(st.text(max_size=10))
    return opener + inner + draw(st.sampled_from([f"</{name}>", "", "<!--", "-->", "]]>"]))


markdown = st.one_of(
    st.builds(lambda t, u: f"[{t}]({u})", st.text(max_size=5), url),
    st.builds(lambda t, u: f"![{t}]({u})", st.text(max_size=5), url),
    st.builds(lambda u: f"<{u}>", url),
    st.builds(lambda u: f"[r]\n\n[r]: {u}", url),
    st.builds(lambda t, u: f'[{t}]({u} "{t}")', st.text(max_size=5), url),
    st.sampled_from(["```\n", "`", "> ", "- ", "1. ", "**", "~~", "\n\n", "    ", "\\", "***\n"]),
)
piece = st.one_of(
    tag(), markdown, entity, url, st.sampled_from(ODD), st.text(max_size=8),
    st.sampled_from(["<", ">", '"', "'", "=", "/", "<!--", "-->", "<![CDATA[", "<?", "</"]),
)  # fmt: skip
hostile = st.lists(piece, max_size=12).map("".join)


class _Audit(HTMLParser):
    """Tags left open or closed twice, and anything that could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in sanitize.ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"{name} on <{tag}>")
            # HTMLParser has already decoded character references in the value.
            if name in URL_ATTRIBUTES and URL_NOISE.sub("", value or "").lower().startswith(
                BAD_SCHEMES
            ):
                self.problems.append(f"{name}={value!r}")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration {data!r}")


def audit(html_text: str) -> list[str]:
    found = _Audit()
    found.feed(html_text)
    found.close()
    return found.problems + [f"<{t}> left open" for t in found.open]


def test_the_audit_itself_flags_what_it_must() -> None:
    for bad in [
        "<script>x</script>",
        "<p>unclosed",
        "</p>",
        '<a href="jav&#x09;ascript:x" rel="nofollow ugc noopener">x</a>',
        '<a href=" &#1;DATA:text/html,x">x</a>',
        '<p onclick="x">x</p>',
        "<!-- x -->",
    ]:
        assert audit(bad), bad


@PROPERTIES
@given(hostile)
def test_the_output_is_balanced_and_holds_nothing_that_runs(text: str) -> None:
    out = render_markdown(text)
    assert audit(out) == []
    assert "<script" not in out.lower()


@PROPERTIES
@given(hostile)
def test_cleaning_the_output_again_changes_nothing(text: str) -> None:
    out = render_markdown(text)
    assert sanitize._cleaner.clean(out) == out


@PROPERTIES
@given(st.text(max_size=200))
def test_any_unicode_text_renders_safely(text: str) -> None:
    out = render_markdown(text)
    assert audit(out) == []
    assert "\x00" not in out
    assert sanitize._cleaner.clean(out) == out


@PROPERTIES
@given(hostile)
def test_plain_text_excerpts_hold_no_markup_once_escaped(text: str) -> None:
    # Excerpts are escaped by the templates; escaped, they must parse back to bare text.
    excerpt = plain_text(text)
    assert audit(html.escape(excerpt)) == []
    assert len(excerpt) <= sanitize.EXCERPT_LENGTH
