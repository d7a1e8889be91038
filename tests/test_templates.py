import re

from tests.conftest import ROOT

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def test_templates_mark_only_sanitised_html_fields_as_safe():
    for template in TEMPLATES:
        for expression in re.findall(r"\{\{([^}]*\|\s*safe[^}]*)\}\}", template.read_text()):
            assert re.fullmatch(r"\s*[\w.]+_html\s*\|\s*safe\s*", expression), (
                f"{template.name}: only *_html fields may be marked safe, not {expression!r}"
            )


def test_pages_load_nothing_from_other_sites():
    for path in [*TEMPLATES, *sorted((ROOT / "static").rglob("*.*"))]:
        text = path.read_text()
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), path.name
        assert "@import" not in text and "url(http" not in text, path.name


OWN_SCRIPT = """<script src="{{ url_for('static', path='kindred.js') }}" defer></script>"""


def test_pages_have_no_inline_scripts_or_styles():
    # One deferred script file of our own, in the base layout, only enhances (static/kindred.js).
    for template in TEMPLATES:
        text = template.read_text()
        if template.name == "base.html":
            assert text.count(OWN_SCRIPT) == 1, template.name
            text = text.replace(OWN_SCRIPT, "")
        assert "<script" not in text and "<style" not in text, template.name
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name


def test_reasons_shown_after_a_colon_end_with_exactly_one_full_stop():
    from app.web import templates

    sentence = templates.env.filters["sentence"]
    assert sentence("It named another member") == "It named another member."
    assert sentence("It named another member.  ") == "It named another member."
    assert sentence("Please be kind!") == "Please be kind!"
