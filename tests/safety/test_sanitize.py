import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.safety import sanitize
from app.safety.sanitize import render_markdown
from tests.safety.html_audit import unsafe_parts

CORPUS = Path(__file__).parent / "data" / "xss_vectors.jsonl"


def _load_corpus() -> list[dict[str, object]]:
    # Split on "\n" only: some vectors hold U+000C / U+2028, which splitlines() splits on.
    text = CORPUS.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


VECTORS = _load_corpus()


def test_the_corpus_copy_holds_all_621_vectors_with_unique_ids() -> None:
    assert len(VECTORS) == 621
    assert len({v["id"] for v in VECTORS}) == 621


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<img src=x>",
        "<svg><a href='#'>x</a></svg>",
        '<a href="https://x" rel="nofollow ugc noopener" onclick="f()">x</a>',
        '<a href="jav&#x09;ascript:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<a href=" &#14; JAVASCRIPT:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<a href="data:text/html,x" rel="nofollow ugc noopener">x</a>',
        '<a href="https://x">no rel</a>',
        '<a href="https://x" rel="nofollow ugc noopener" target="_blank">x</a>',
        '<p style="color:red">x</p>',
        '<ol start="1" reversed>x</ol>',
        "<!-- c -->",
        "<!DOCTYPE html>",
    ],
)
def test_the_checker_itself_flags_known_unsafe_html(html: str) -> None:
    assert unsafe_parts(html)


@pytest.mark.parametrize("vector", VECTORS, ids=[str(v["id"]) for v in VECTORS])
def test_no_corpus_vector_leaves_anything_unsafe_in_the_output(vector: dict[str, str]) -> None:
    assert unsafe_parts(render_markdown(vector["vector"])) == []


@pytest.mark.parametrize("vector", VECTORS, ids=[str(v["id"]) for v in VECTORS])
def test_cleaning_the_output_again_changes_nothing(vector: dict[str, str]) -> None:
    out = render_markdown(vector["vector"])
    assert sanitize._cleaner.clean(out) == out


LINK = '<a href="https://example.org" rel="nofollow ugc noopener">x</a>'


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("*a*", "<p><em>a</em></p>\n"),
        ("**a**", "<p><strong>a</strong></p>\n"),
        ("~~a~~", "<p><s>a</s></p>\n"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
        ("3. a\n4. b", '<ol start="3">\n<li>a</li>\n<li>b</li>\n</ol>\n'),
        ("[x](https://example.org)", f"<p>{LINK}</p>\n"),
        ("<https://example.org>", '<p><a href="https://example.org" '
         'rel="nofollow ugc noopener">https://example.org</a></p>\n'),
        ('[x](https://e.org "t")', '<p><a href="https://e.org" title="t" '
         'rel="nofollow ugc noopener">x</a></p>\n'),
        ("[x](/circles/1)", '<p><a href="/circles/1" rel="nofollow ugc noopener">x</a></p>\n'),
        ("[x](#top)", '<p><a href="#top" rel="nofollow ugc noopener">x</a></p>\n'),
        ("[x](mailto:a@b.org)", '<p><a href="mailto:a@b.org" '
         'rel="nofollow ugc noopener">x</a></p>\n'),
        ("> a", "<blockquote>\n<p>a</p>\n</blockquote>\n"),
        ("`a<b>`", "<p><code>a&lt;b&gt;</code></p>\n"),
        ("```py\n<script>x()</script>\n```",
         "<pre><code>&lt;script&gt;x()&lt;/script&gt;\n</code></pre>\n"),
        ("    <i>x</i>", "<pre><code>&lt;i&gt;x&lt;/i&gt;\n</code></pre>\n"),
        ("a\n\n---\n\nb", "<p>a</p>\n<hr>\n<p>b</p>\n"),
        ("a  \nb", "<p>a<br>\nb</p>\n"),
        ("a\\\nb", "<p>a<br>\nb</p>\n"),
        ("a\nb", "<p>a\nb</p>\n"),
        ("<b>hi</b>", "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("Tom & Jerry &amp; &lt;", "<p>Tom &amp; Jerry &amp; &lt;</p>\n"),
        ("# Big\n\nBig\n===", "<p># Big</p>\n<p>Big\n===</p>\n"),
    ],
)  # fmt: skip
def test_ordinary_markdown_renders_to_the_expected_html(markdown: str, html: str) -> None:
    assert render_markdown(markdown) == html


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](&#x6a;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "[x](ftp://example.org)",
    ],
)
def test_links_without_an_allowed_scheme_keep_no_href(markdown: str) -> None:
    out = render_markdown(markdown)
    assert unsafe_parts(out) == []
    assert "href" not in out


@pytest.mark.parametrize(
    "markdown",
    [
        "![a](https://x/y.png)",
        "![a](data:image/png;base64,iVBORw0KGgo=)",
        "![a][r]\n\n[r]: https://x/y.png",
        "[![a](https://x/y.png)](https://x)",
    ],
)
def test_images_never_become_img_elements(markdown: str) -> None:
    out = render_markdown(markdown)
    assert "<img" not in out
    assert unsafe_parts(out) == []


def test_an_image_shows_as_an_ordinary_link() -> None:
    assert render_markdown("![a](https://x/y.png)") == (
        '<p>!<a href="https://x/y.png" rel="nofollow ugc noopener">a</a></p>\n'
    )


@pytest.mark.parametrize("text", ["", " ", "\n\n\t"])
def test_empty_or_blank_input_renders_to_nothing(text: str) -> None:
    assert render_markdown(text).strip() == ""


@pytest.mark.parametrize(
    "text",
    [
        "word " * 20_000,
        "x" * 100_000,
        "*" * 100_000,
        "[" * 100_000,
        "`" * 100_000,
        "> " * 50_000,
        "- " * 50_000,
        "<" * 100_000,
        "&" * 100_000,
        "[x](" * 25_000,
    ],
    ids=["words", "one-word", "stars", "brackets", "backticks", "quotes", "bullets", "lt",
         "amp", "open-links"],
)  # fmt: skip
def test_very_long_input_renders_safely(text: str) -> None:
    out = render_markdown(text)
    assert unsafe_parts(out) == []
    assert sanitize._cleaner.clean(out) == out


@pytest.mark.parametrize(
    "text",
    [
        "\x00",
        "a\x00b",
        "".join(chr(c) for c in range(32)),
        "\x7f\x85\u2028\u2029\ufeff\u200b\u202e",
        "[x](https://e.org/\x00)",
        "\ud800",
    ],
    ids=["nul", "inner-nul", "c0", "other-controls", "nul-in-link", "lone-surrogate"],
)
def test_nul_and_control_characters_do_not_crash(text: str) -> None:
    out = render_markdown(text)
    assert "\x00" not in out
    assert unsafe_parts(out) == []


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        # Numeric references without ";" still decode inside a browser attribute, so the
        # "&" must reach the page as "&amp;" for this to stay a harmless relative URL.
        ("[x](&#x6A&#x61vascript:alert(1))", "&amp;#x6A&amp;#x61vascript:alert(1)"),
        ("[x](javascript&#58alert(1))", "javascript&amp;#58alert(1)"),
        # Browsers do not percent-decode a scheme, so these are relative URLs too.
        ("[x](jav&#x0D;ascript:alert(1))", "jav%0Dascript:alert(1)"),
        ("[x](javascript%3Aalert(1))", "javascript%3Aalert(1)"),
    ],
)
def test_encoded_lookalike_schemes_stay_inert_relative_links(markdown: str, href: str) -> None:
    out = render_markdown(markdown)
    assert f'href="{href}"' in out
    assert unsafe_parts(out) == []


def test_concurrent_renders_do_not_mix_up_posts() -> None:
    texts = [f"post *{n}* [link](https://e.org/{n})\n\n- {n}" * 50 for n in range(16)]
    expected = [render_markdown(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            assert list(pool.map(render_markdown, texts)) == expected
