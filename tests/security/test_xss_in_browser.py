"""Every public XSS vector through every text field people write, then every page that shows it.

The data goes in through the live server's JSON API (bearer tokens; the `kindred` command for
the moderator role); the pages are read in headless Chromium with JavaScript on. The site's
Content-Security-Policy is bypassed on purpose: it would stop most injected scripts by itself
and so hide a gap in escaping or sanitising, which is what this suite looks for.

Nothing may run: no alert/confirm/prompt/print (hooked before any page script), no dialog, no
console message or page error (the site's one small script logs nothing), no request to another
site, and nothing left in the DOM that could run on a click or hover (see `AUDIT`).
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx2 as httpx
import pytest

from app.text import clean_line
from tests.factories import PASSWORD, assert_problem
from tests.live import LiveServer

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).parent.parent / "safety" / "data" / "xss_vectors.jsonl"
# Split on "\n" only: some vectors hold U+000C or U+2028, which splitlines() would split on.
TEXTS: list[str] = [json.loads(line)["vector"] for line in CORPUS.read_text().split("\n") if line]
AUTHORS = 4

# Every element the templates and the sanitiser's allow-list can produce; anything else in a
# page was injected.
SITE_TAGS = [
    "html", "head", "meta", "title", "link", "body", "header", "nav", "main", "footer",
    "section", "article", "div", "p", "span", "a", "ul", "ol", "li", "h1", "h2", "h3", "form",
    "input", "button", "label", "select", "option", "textarea", "fieldset", "legend", "details",
    "summary", "time", "strong", "em", "s", "mark", "kbd", "code", "pre", "blockquote", "br", "hr",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
]  # fmt: skip
STATUS_LOGGED = "Failed to load resource: the server responded with a status of 4"
URL_ATTRIBUTES = [
    "href", "src", "action", "formaction", "xlink:href", "background", "poster", "data", "cite",
    "srcset", "lowsrc", "dynsrc", "ping", "codebase", "manifest", "longdesc",
]  # fmt: skip

HOOKS = """
(() => {
  const log = (kind, args) => {
    let top;
    try { top = window.top.__xss ? window.top : window; } catch (e) { top = window; }
    top.__xss.push(kind + ": " + Array.from(args).map(String).join(", "));
  };
  window.__xss = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = function () { log(name, arguments); };
  }
  window.open = function () { log("open", arguments); };
})();
"""

AUDIT = """
([siteTags, urlAttributes]) => {
  const allowed = new Set(siteTags), urls = new Set(urlAttributes), problems = [];
  const noise = /[\\u0000-\\u0020\\u007f]/g;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    if (!allowed.has(tag) && !(tag === "script" && el.parentNode === document.head)) {
      problems.push(`element <${tag}>`);
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || ["style", "srcdoc"].includes(name)) {
        problems.push(`attribute ${name} on <${tag}>`);
      }
      const url = attr.value.replace(noise, "").toLowerCase();
      if (urls.has(name) && /^(javascript|vbscript|data):/.test(url)) {
        problems.push(`${name}=${attr.value} on <${tag}>`);
      }
    }
  }
  if (document.body.querySelector("meta, link, title, base, style, script")) {
    problems.push("head element in the body");
  }
  // The head holds what base.html puts there and nothing else: the site's own stylesheet,
  // icon and script come from /static/, and no script has inline code.
  for (const el of document.head.children) {
    const tag = el.localName;
    const ok = tag === "meta" || tag === "title"
      || (tag === "link" && el.getAttribute("href").startsWith("/static/"))
      || (tag === "script" && (el.getAttribute("src") || "").startsWith("/static/")
          && !el.textContent);
    if (!ok) problems.push(`<${tag}> in <head>: ${el.outerHTML.slice(0, 80)}`);
  }
  if (document.head.querySelectorAll("title").length !== 1) problems.push("a second <title>");
  for (const script of document.body.querySelectorAll("script")) {
    problems.push(`script in the body: ${script.outerHTML.slice(0, 80)}`);
  }
  const h1 = document.querySelector("h1");
  return {
    problems, calls: window.__xss || ["the hooks did not run"],
    title: document.title, h1: h1 && h1.textContent,
  };
}
"""


def groups(texts: list[str], limit: int, sep: str = " ") -> list[list[str]]:
    """Consecutive texts, as many per group as fit in `limit` characters joined by `sep`."""
    found: list[list[str]] = [[]]
    for text in texts:
        if found[-1] and len(sep.join([*found[-1], text])) > limit:
            found.append([])
        found[-1].append(text)
    return found


def pack(texts: list[str], limit: int, sep: str = " ") -> list[str]:
    """The groups joined; a text longer than `limit` on its own is cut to fit."""
    return [sep.join(g)[:limit] for g in groups(texts, limit, sep)]


class Api:
    """The JSON API as one signed-in account sees it."""

    def __init__(self, base: str, pseudonym: str) -> None:
        self.http = httpx.Client(base_url=base + "/api/v1", timeout=30)
        self.pseudonym = pseudonym
        created = self.http.post("/accounts", json={"pseudonym": pseudonym, "password": PASSWORD})
        assert created.status_code == 201, created.text
        self.id = created.json()["account"]["id"]
        signed_in = self.http.post("/sessions", json={"pseudonym": pseudonym, "password": PASSWORD})
        assert signed_in.status_code == 201, signed_in.text
        self.http.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"

    def send(self, method: str, path: str, status: int, **body: Any) -> Any:
        response = self.http.request(method, path, json=body or None)
        assert response.status_code == status, (path, response.text)
        return response.json() if response.content else None


@dataclass
class Site:
    server: LiveServer
    moderator: Api
    sanctioned: Api  # warned and suspended, with every vector as a reason
    authors: list[Api]
    circles: list[str]
    titles: dict[int, str] = field(default_factory=dict)  # story id -> title as stored
    owners: dict[int, Api] = field(default_factory=dict)
    host_stories: list[int] = field(default_factory=list)  # stories holding the replies
    batched_replies: list[tuple[int, int, Api]] = field(default_factory=list)
    reported: set[int] = field(default_factory=set)  # posts whose reports carry details
    report_cases: list[int] = field(default_factory=list)
    appeal_cases: list[int] = field(default_factory=list)
    removed: list[tuple[int, Api]] = field(default_factory=list)


def _accounts(server: LiveServer) -> tuple[Api, Api, list[Api]]:
    names = ["Heron Keeper", "Sorrel Quiet", *(f"Fern Writer {n}" for n in range(AUTHORS))]
    # One at a time: on SQLite, sign-ups at the same moment wait on each other's write lock.
    moderator, sanctioned, *authors = [Api(server.url, name) for name in names]
    server.cli("moderator", "add", moderator.pseudonym)
    return moderator, sanctioned, authors


def _stories(site: Site) -> None:
    """One story per group of vectors: the group is its title, content warning and body."""
    for n, group in enumerate(groups(TEXTS, 200)):
        author = site.authors[n % AUTHORS]
        title, body = " ".join(group)[:200], "\n\n".join(group)
        story = author.send(
            "POST", "/stories", 201,
            circle=site.circles[n % len(site.circles)], title=title, body=body,
            content_warning=title,
        )  # fmt: skip
        assert story["status"] == "published", story["screening"]
        assert story["title"] == clean_line(title)
        site.titles[story["id"]] = story["title"]
        site.owners[story["id"]] = author


def _replies(site: Site) -> None:
    """All vectors in chains of nested replies a few at a time, and in a few long replies."""
    hosts = list(site.titles)[:5]
    site.host_stories = hosts
    chunks = pack(TEXTS, 2000, sep="\n\n")
    last: dict[int, int] = {}  # story -> its latest reply, the next one's parent
    for n, body in enumerate(chunks):
        story = hosts[n * len(hosts) // len(chunks)]
        sent = {"body": body, "parent_id": last.get(story)}
        reply = site.authors[n % AUTHORS].send("POST", f"/stories/{story}/replies", 201, **sent)
        last[story] = reply["id"]
    for n, body in enumerate(pack(TEXTS, 10_000, sep="\n\n")):
        author = site.authors[n % AUTHORS]
        story = hosts[n % len(hosts)]
        reply = author.send("POST", f"/stories/{story}/replies", 201, body=body)
        site.batched_replies.append((story, reply["id"], author))


def _case_ids(api: Api, reason: str) -> dict[int, int]:
    """Open queue items with this reason: post id -> case id."""
    found: dict[int, int] = {}
    cursor = ""
    while True:
        page = api.send("GET", f"/moderation/queue?reason={reason}&limit=100{cursor}", 200)
        found |= {i["post"]["id"]: i["id"] for i in page["items"]}
        if not page["next_cursor"]:
            return found
        cursor = f"&cursor={page['next_cursor']}"


def _moderation(site: Site) -> None:
    """Reports, removals with reasons and notes, appeals, warnings and suspensions."""
    reasons = pack(TEXTS, 500)
    details = pack(TEXTS, 1000, sep="\n")
    notes = pack(TEXTS, 2000, sep="\n")
    appeals = pack(TEXTS, 2000, sep="\n")
    titles = pack(TEXTS, 200)
    posts: list[tuple[int, Api]] = []
    for n in range(len(reasons)):
        author = site.authors[n % AUTHORS]
        title = titles[n % len(titles)]
        story = author.send(
            "POST", "/stories", 201, circle=site.circles[0], title=title, body=title
        )
        # Up to three other members report it; the first ones carry the details.
        for reporter in [a for a in site.authors if a is not author][: 3 if details else 1]:
            text = details.pop(0) if details else None
            reporter.send(
                "POST", "/reports", 201, post_id=story["id"], reason="other", details=text
            )
            if text is not None:
                site.reported.add(story["id"])
        posts.append((story["id"], author))
    cases = _case_ids(site.moderator, "report:other")
    for n, (post, author) in enumerate(posts):
        site.moderator.send(
            "POST", f"/moderation/queue/{cases[post]}/decision", 200,
            action="remove", reason=reasons[n], note=notes[n] if n < len(notes) else None,
        )  # fmt: skip
        site.removed.append((post, author))
    site.report_cases = [cases[p] for p in site.reported]
    for text, (post, author) in zip(appeals, posts, strict=False):
        author.send("POST", f"/posts/{post}/appeal", 201, text=text)
    site.appeal_cases = list(_case_ids(site.moderator, "appeal").values())
    assert len(site.appeal_cases) == len(appeals)
    until = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    member = site.sanctioned.id
    for n, reason in enumerate(reasons):  # the same template line shows both kinds
        if n % 2:
            site.moderator.send(
                "POST", f"/moderation/accounts/{member}/suspension", 201, until=until, reason=reason
            )
        else:
            site.moderator.send(
                "POST", f"/moderation/accounts/{member}/warnings", 201, reason=reason
            )


@pytest.fixture(scope="module")
def site(hostile_server: LiveServer) -> Iterator[Site]:
    moderator, sanctioned, authors = _accounts(hostile_server)
    circles = [c["slug"] for c in moderator.send("GET", "/circles", 200)["items"]]
    built = Site(hostile_server, moderator, sanctioned, authors, circles)
    try:
        _stories(built)
        _replies(built)
        _moderation(built)
        yield built
    finally:
        for api in [moderator, sanctioned, *authors]:
            api.http.close()


# --- the browser side -------------------------------------------------------------------------


class Visitor:
    """One browser context, signed in as `pseudonym` (or not), that audits every page it opens."""

    def __init__(self, browser: Any, server: LiveServer, pseudonym: str | None) -> None:
        self.base = server.url
        self.context = browser.new_context(java_script_enabled=True, bypass_csp=True)
        self.context.add_init_script(HOOKS)
        self.events: list[str] = []
        # A regex the driver matches itself: requests to the site never wait on Python.
        elsewhere = re.compile(f"^(?!{re.escape(self.base)}/)")
        self.context.route(elsewhere, self._elsewhere)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.events.append(f"page error: {e}"))
        self.seen = 0
        if pseudonym is not None:
            self._sign_in(pseudonym)
        self.page.goto(self.base + "/signin")
        self.csrf = self.page.locator("input[name=csrf_token]").first.get_attribute("value")

    def _elsewhere(self, route: Any) -> None:
        self.events.append(f"request to another site: {route.request.url}")
        route.abort()

    def _console(self, message: Any) -> None:
        # Chromium logs every 4xx answer; the forms answer 422 on purpose.
        if message.text.startswith(STATUS_LOGGED) and message.location["url"].startswith(self.base):
            return
        self.events.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _sign_in(self, pseudonym: str) -> None:
        with httpx.Client(base_url=self.base) as http:
            form = http.get("/signin").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token
            data = {"pseudonym": pseudonym, "password": PASSWORD, "csrf_token": token[1]}
            assert http.post("/signin", data=data).status_code == 303
            cookies = [{"name": k, "value": v, "url": self.base} for k, v in http.cookies.items()]
        self.context.add_cookies(cookies)

    def visit(self, path: str, *, status: int = 200) -> Any:
        response = self.page.goto(self.base + path)
        assert response.status == status, (path, response.status)
        return self.audit(path)

    def submit(self, path: str, fields: dict[str, str], *, status: int = 422) -> Any:
        """POST a form as a browser would and show the answer: the form with the text kept."""
        body = urlencode(fields | {"csrf_token": self.csrf})

        def as_post(route: Any) -> None:
            headers = route.request.headers | {"content-type": "application/x-www-form-urlencoded"}
            route.continue_(method="POST", post_data=body, headers=headers)

        self.page.route(self.base + path, as_post)
        try:
            return self.visit(path, status=status)
        finally:
            self.page.unroute(self.base + path, as_post)

    def audit(self, path: str) -> Any:
        found = self.page.evaluate(AUDIT, [SITE_TAGS, URL_ATTRIBUTES])
        assert found["problems"] == [], (path, found["problems"][:20])
        assert found["calls"] == [], (path, found["calls"])
        assert self.events == [], (path, self.events)
        self.seen += 1
        return found

    def follow_pages(self, path: str, link: str = "a[rel=next]") -> int:
        """Visit a paginated list to its end; the number of pages."""
        count = 0
        while True:
            self.visit(path)
            count += 1
            nxt = self.page.locator(link)
            if not nxt.count():
                return count
            path = nxt.first.get_attribute("href")

    def field_values(self) -> dict[str, str]:
        return self.page.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('input[id], textarea')]"
            ".map(e => [e.id, e.value]))"
        )


ALL = "\n".join(TEXTS)


def _as_input(text: str) -> str:
    # A text input's value loses its line breaks (the HTML value sanitisation algorithm).
    return text.replace("\r", "").replace("\n", "")


def _as_textarea(text: str) -> str:
    # A textarea shows CR LF and lone CR as LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture(scope="module")
def visitors(chromium_browser: Any, site: Site) -> Iterator[Any]:
    """visitors(account or None): one signed-in browser context per account, kept for the module."""
    opened: dict[str | None, Visitor] = {}

    def visitor_for(account: Api | None) -> Visitor:
        name = account.pseudonym if account else None
        if name not in opened:
            opened[name] = Visitor(chromium_browser, site.server, name)
        return opened[name]

    yield visitor_for
    for v in opened.values():
        v.context.close()


def test_the_detectors_catch_a_page_where_a_vector_runs(chromium_browser, site: Site) -> None:
    """The hooks and the audit themselves: an unescaped page must fail every way we look."""
    guest = Visitor(chromium_browser, site.server, None)
    raw = "<img src=x onerror=alert(1)><svg onload=confirm(2)><a href='javascript:x'>y</a>"
    page = (
        f"<!doctype html><title>t</title><script src=https://elsewhere.example/x.js></script>{raw}"
    )
    try:
        guest.page.route(
            guest.base + "/unsafe", lambda r: r.fulfill(body=page, content_type="text/html")
        )
        guest.page.goto(guest.base + "/unsafe")
        guest.page.wait_for_timeout(50)
        found = guest.page.evaluate(AUDIT, [SITE_TAGS, URL_ATTRIBUTES])
        problems = " ".join(found["problems"])
        for expected in ("<img>", "<svg>", "onload", "onerror", "javascript:", "<script>"):
            assert expected in problems
        assert "alert: 1" in found["calls"] and "confirm: 2" in found["calls"]
        assert any("elsewhere.example" in e for e in guest.events)
        guest.page.evaluate("() => { setTimeout(() => { throw new Error('boom') }) }")
        guest.page.evaluate("() => { window.top.onerror = null; console.log('ran') }")
        guest.page.wait_for_timeout(50)
        assert any("boom" in e for e in guest.events) and any("ran" in e for e in guest.events)
    finally:
        guest.context.close()


def test_pseudonyms_made_of_vectors_are_refused_cleanly(site: Site) -> None:
    with httpx.Client(base_url=site.server.url + "/api/v1") as http:
        for text in TEXTS:
            response = http.post("/accounts", json={"pseudonym": text, "password": PASSWORD})
            assert_problem(response, 422, field="pseudonym")


def test_no_vector_runs_where_stories_and_replies_are_shown(site: Site, visitors) -> None:
    guest, moderator = visitors(None), visitors(site.moderator)
    guest.visit("/")
    pages = sum(guest.follow_pages(f"/circles/{slug}") for slug in site.circles)
    assert pages >= len(site.titles) / 20
    for story_id in site.host_stories:  # every vector alone as a reply, as anyone sees it
        guest.visit(f"/stories/{story_id}")

    # Moderators see every story, pending or not; each title must come out as whole text.
    for story_id, title in site.titles.items():
        shown = moderator.visit(f"/stories/{story_id}")
        assert (shown["h1"], shown["title"]) == (title, f"{title} · Kindred")

    for author in site.authors:
        writer = visitors(author)
        writer.visit("/me")
        mine = [s for s, owner in site.owners.items() if owner is author]
        for story_id in mine[:3]:
            writer.visit(f"/stories/{story_id}/reply")
            writer.visit(f"/posts/{story_id}/edit")
            fields = writer.field_values()
            assert fields["title"] == _as_input(site.titles[story_id])
            assert fields["content_warning"] == _as_input(site.titles[story_id])
    for story_id, reply_id, author in site.batched_replies:
        writer = visitors(author)
        writer.visit(f"/stories/{story_id}/reply?parent_id={reply_id}")
        writer.visit(f"/posts/{reply_id}/edit")
        assert writer.field_values()["body"]


def test_no_vector_runs_when_a_form_shows_back_what_was_typed(site: Site, visitors) -> None:
    """Every form that refuses a text shows it again for fixing; all 621 at once, over-long."""
    author = site.authors[0]
    writer, guest, moderator = visitors(author), visitors(None), visitors(site.moderator)
    own_story = next(s for s, owner in site.owners.items() if owner is author)
    others_story = next(s for s, owner in site.owners.items() if owner is not author)
    removed = next(p for p, owner in site.removed if owner is author)
    long_text = {"title": ALL, "body": ALL, "content_warning": ALL}

    writer.submit("/stories/new", {"circle": site.circles[0], **long_text})
    fields = writer.field_values()
    assert fields["title"] == fields["content_warning"] == _as_input(ALL)
    assert fields["body"] == _as_textarea(ALL)
    writer.submit(f"/posts/{own_story}/edit", long_text)
    assert writer.field_values()["body"] == _as_textarea(ALL)
    writer.submit(f"/stories/{own_story}/replies", {"body": ALL})
    writer.submit(f"/posts/{others_story}/report", {"reason": "other", "details": ALL})
    assert writer.field_values()["details"] == _as_textarea(ALL)
    writer.submit(f"/posts/{removed}/appeal", {"text": ALL})
    assert writer.field_values()["text"] == _as_textarea(ALL)
    writer.visit(f"/stories/new?circle={quote(ALL)}")

    case = site.appeal_cases[0]
    decision = {"action": "approve", "reason": ALL, "note": ALL}
    moderator.submit(f"/moderation/cases/{case}/decision", decision)
    fields = moderator.field_values()
    assert (fields["reason"], fields["note"]) == (_as_input(ALL), _as_textarea(ALL))
    warning = {"kind": "warning", "reason": ALL, "days": ""}
    moderator.submit(f"/moderation/members/{author.id}/sanctions", warning)
    assert moderator.field_values()["reason"] == _as_input(ALL)

    guest.submit("/signup", {"pseudonym": ALL, "password": PASSWORD, "password_again": "x"})
    assert guest.field_values()["pseudonym"] == _as_input(ALL)
    guest.submit("/signin", {"pseudonym": ALL, "password": "x", "next": "/" + ALL})
    assert guest.field_values()["pseudonym"] == _as_input(ALL)
    # Search shows its words in the title, a heading, the box and the pager's links: in
    # chunks the box refuses as too long, and in short ones that find the hostile stories.
    for words in pack(TEXTS, 1000, sep="\n") + pack(TEXTS, 200)[:10]:
        too_long = len(words.strip()) > 200
        guest.visit(f"/search?q={quote(words)}", status=422 if too_long else 200)
        assert guest.field_values()["q"] == _as_input(words.strip())
    guest.visit(f"/signin?next={quote('/' + ALL)}")
    # A hidden input keeps its line breaks; the parser has only normalised CR LF.
    assert guest.page.locator("input[name=next]").input_value() == _as_textarea("/" + ALL)


def test_no_vector_runs_on_the_moderation_pages_or_in_what_members_are_told(
    site: Site, visitors
) -> None:
    moderator = visitors(site.moderator)
    assert moderator.follow_pages("/moderation") >= 1
    assert moderator.follow_pages("/moderation?status=closed") >= len(site.removed) / 25
    for case in site.appeal_cases + site.report_cases:
        moderator.visit(f"/moderation/cases/{case}")
    assert moderator.follow_pages("/moderation/log") >= 3
    for account in [*site.authors, site.sanctioned]:
        moderator.visit(f"/moderation/members/{account.id}")

    sanctioned = visitors(site.sanctioned)
    sanctioned.visit("/me")
    told = sanctioned.page.locator("#sanctions-heading + ul > li")
    assert told.count() == len(pack(TEXTS, 500))
    for author in site.authors:
        writer = visitors(author)
        writer.visit("/me")
        for post, _owner in [r for r in site.removed if r[1] is author][:3]:
            writer.visit(f"/posts/{post}/appeal")
            writer.visit(f"/stories/{post}")
