"""Properties of the Markdown -> HTML sanitiser for arbitrary text, found by Hypothesis.

The text is generated from the pieces attacks are made of: tags and attributes, event
handlers, javascript:/data:/vbscript: URLs (cased, entity-encoded and broken up by controls),
entities, Markdown links, images and autolinks, and odd Unicode. Derandomised and bounded, so
CI runs the same examples every time.
"""

import html

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.safety import sanitize
from app.safety.sanitize import plain_text, render_markdown
from tests.safety.html_audit import unsafe_parts

PROPERTIES = settings(
    max_examples=500,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


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
        assert unsafe_parts(bad), bad


@PROPERTIES
@given(hostile)
def test_the_output_is_balanced_and_holds_nothing_that_runs(text: str) -> None:
    out = render_markdown(text)
    assert unsafe_parts(out) == []
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
    assert unsafe_parts(out) == []
    assert "\x00" not in out
    assert sanitize._cleaner.clean(out) == out


@PROPERTIES
@given(hostile)
def test_plain_text_excerpts_hold_no_markup_once_escaped(text: str) -> None:
    # Excerpts are escaped by the templates; escaped, they must parse back to bare text.
    excerpt = plain_text(text)
    assert unsafe_parts(html.escape(excerpt)) == []
    assert len(excerpt) <= sanitize.EXCERPT_LENGTH
