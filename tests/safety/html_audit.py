"""An independent audit of sanitised HTML, shared by the corpus and the property tests."""

import re
from html.parser import HTMLParser

# The checker's own idea of what is allowed, written out independently of the module's
# constants so that widening the module's allow-list makes these tests fail.
ALLOWED = {
    "p": set(),
    "br": set(),
    "em": set(),
    "strong": set(),
    "s": set(),
    "a": {"href", "title", "rel"},
    "ul": set(),
    "ol": {"start"},
    "li": set(),
    "blockquote": set(),
    "code": set(),
    "pre": set(),
    "hr": set(),
}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "background", "poster", "data",
    "cite", "srcset", "lowsrc", "dynsrc", "ping", "codebase", "manifest", "longdesc",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends.
URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
VOID = {"br", "hr"}


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"element <{tag}>")
            return
        for name, value in attrs:
            if name.startswith("on") or name in {"srcdoc", "style"}:
                self.problems.append(f"attribute {name} on <{tag}>")
            elif name not in ALLOWED[tag]:
                self.problems.append(f"unexpected attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                # HTMLParser has already unescaped character references in the value.
                url = URL_NOISE.sub("", value).lower()
                if url.startswith(BAD_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "a" and dict(attrs).get("rel") != "nofollow ugc noopener":
            self.problems.append(f"<a> without the ugc rel: {attrs!r}")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ALLOWED and tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"end tag </{tag}>")
        elif not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"unknown declaration {data!r}")


def unsafe_parts(html: str) -> list[str]:
    """Everything in sanitised HTML that could run, is not allowed, or is left unbalanced."""
    auditor = _Auditor()
    auditor.feed(html)
    auditor.close()
    return auditor.problems + [f"<{tag}> left open" for tag in auditor.open]
