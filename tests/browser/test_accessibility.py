"""Every page type through axe-core, signed out, as a member and as a moderator, in light and
dark mode; and every page fits a phone and a 200%-zoomed window without sideways scrolling."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.seed import PASSWORD, STIGMA, Site, compose_with_nudge, seed

pytestmark = pytest.mark.browser

OUT, MEMBER, MODERATOR = "signed-out", "member", "moderator"
EVERYONE = (OUT, MEMBER, MODERATOR)
SIGNED_IN = (MEMBER, MODERATOR)
SCHEMES = ("light", "dark")
BLOCKING = ("serious", "critical")


def compose_with_live_nudge(page: Any, base: str, site: Site) -> None:
    page.goto(base + "/stories/new")
    page.get_by_label("Your story").fill(STIGMA)
    page.locator("#body-live mark").get_by_text("psycho").wait_for()


def compose_with_mistakes(page: Any, base: str, site: Site) -> None:
    page.goto(base + "/stories/new")
    page.get_by_role("button", name="Share story").click()
    page.get_by_role("alert").wait_for()


def join_with_mistakes(page: Any, base: str, site: Site) -> None:
    page.goto(base + "/signup")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Join").click()
    page.get_by_role("alert").wait_for()


@dataclass(frozen=True)
class Visit:
    name: str
    views: tuple[str, ...]
    address: str | Callable[[Any, str, Site], None]

    def open(self, page: Any, base: str, site: Site) -> None:
        if callable(self.address):
            self.address(page, base, site)
        else:
            page.goto(base + self.address.format(site=site))


PAGES = [
    Visit("home", EVERYONE, "/"),
    Visit("circle", EVERYONE, "/circles/anxiety"),
    Visit("story with replies and a tip", EVERYONE, "/stories/{site.story_id}"),
    Visit("sub-thread", EVERYONE, "/stories/{site.story_id}/replies/{site.tip_id}"),
    Visit("crisis story with help now", SIGNED_IN, "/stories/{site.crisis_id}?notice=held"),
    Visit("tips", EVERYONE, "/tips"),
    Visit("tips in a circle", EVERYONE, "/tips?circle=anxiety"),
    Visit("search form", EVERYONE, "/search"),
    Visit("search results", EVERYONE, "/search?q={site.word}"),
    Visit("help now", EVERYONE, "/help"),
    Visit("not found", EVERYONE, "/stories/987654321"),
    Visit("sign in", (OUT,), "/signin"),
    Visit("join", (OUT,), "/signup"),
    Visit("join with mistakes", (OUT,), join_with_mistakes),
    Visit("recover", (OUT,), "/recover"),
    Visit("goodbye", (OUT,), "/goodbye"),
    Visit("compose", SIGNED_IN, "/stories/new"),
    Visit("compose with the wording nudge", SIGNED_IN, compose_with_nudge),
    Visit("compose with the live nudge", (MEMBER,), compose_with_live_nudge),
    Visit("compose with mistakes", (MEMBER,), compose_with_mistakes),
    Visit("reply form", SIGNED_IN, "/stories/{site.story_id}/reply?parent_id={site.tip_id}"),
    Visit("edit form", (MEMBER,), "/posts/{site.story_id}/edit"),
    Visit("delete a post", (MEMBER,), "/posts/{site.nested_id}/delete"),
    Visit("report form", SIGNED_IN, "/posts/{site.tip_id}/report"),
    Visit("appeal form", (MEMBER,), "/posts/{site.removed_id}/appeal"),
    Visit("notifications", SIGNED_IN, "/notifications"),
    Visit("me", SIGNED_IN, "/me"),
    Visit("recovery codes", SIGNED_IN, "/me/recovery-codes"),
    Visit("change password", SIGNED_IN, "/me/password"),
    Visit("sessions", SIGNED_IN, "/me/sessions"),
    Visit("delete account", SIGNED_IN, "/me/delete"),
    Visit("moderation queue", (MODERATOR,), "/moderation"),
    Visit("moderation item", (MODERATOR,), "/moderation/cases/{site.case_id}?notice=claimed"),
    Visit("appealed item", (MODERATOR,), "/moderation/cases/{site.appeal_case_id}"),
    Visit("audit log", (MODERATOR,), "/moderation/log"),
    Visit("member history", (MODERATOR,), "/moderation/members/{site.member.id}"),
]


def cases(schemes: tuple[str, ...]) -> list[Any]:
    return [
        pytest.param(visit, view, scheme, id=f"{visit.name}-{view}-{scheme}".replace(" ", "-"))
        for visit in PAGES
        for view in visit.views
        for scheme in schemes
    ]


@pytest.fixture(scope="module")
def site(live_server) -> Site:
    return seed(live_server)


class Browsers:
    """One signed-in state per view and one context (with one page) per view and setting."""

    def __init__(self, browser: Any, base: str, site: Site) -> None:
        self.browser, self.base, self.site = browser, base, site
        self.states: dict[str, Any] = {}
        self.pages: dict[tuple[str, ...], Any] = {}

    def state(self, view: str) -> Any:
        if view == OUT:
            return None
        if view not in self.states:
            context = self.browser.new_context()
            page = context.new_page()
            who = self.site.member if view == MEMBER else self.site.moderator
            page.goto(self.base + "/signin")
            page.get_by_label("Pseudonym").fill(who.pseudonym)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name=who.pseudonym).wait_for()
            self.states[view] = context.storage_state()
            context.close()
        return self.states[view]

    def page(self, view: str, *settings: str, **options: Any) -> Any:
        key = (view, *settings)
        if key not in self.pages:
            context = self.browser.new_context(storage_state=self.state(view), **options)
            page = context.new_page()
            external: list[str] = []
            page.on(
                "request", lambda r: None if r.url.startswith(self.base) else external.append(r.url)
            )
            page.external = external
            self.pages[key] = page
        return self.pages[key]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def browsers(browser, live_server, site) -> Iterator[Browsers]:
    made = Browsers(browser, live_server.url, site)
    yield made
    made.close()


def readable(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.extend(f"      {node['failureSummary']}".splitlines()[1:3])
    return "\n".join(lines)


@pytest.mark.parametrize(("visit", "view", "scheme"), cases(SCHEMES))
def test_page_has_no_serious_accessibility_violations(browsers, site, visit, view, scheme):
    page = browsers.page(view, scheme, color_scheme=scheme)
    visit.open(page, browsers.base, site)
    # Folded content (content warnings, sub-threads) is checked opened too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    expected = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert expected == (scheme == "dark")

    # Target size is WCAG 2.2 AA, which axe leaves off by default.
    results = Axe().run(page, options={"rules": {"target-size": {"enabled": True}}})

    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], f"{page.url} ({scheme})\n{readable(blocking)}"
    assert page.external == [], f"pages must not contact other sites: {page.external}"


OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !el.closest('.table-wrap, pre');
  });
  return {scroll: root.scrollWidth, width,
          culprits: wide.slice(-5).map(el => el.outerHTML.slice(0, 120))};
}"""


@pytest.mark.parametrize(("visit", "view", "scheme"), cases(("light",)))
def test_page_fits_a_phone_and_200_percent_zoom_without_sideways_scrolling(
    browsers, site, visit, view, scheme
):
    # Device scale 2: 360 CSS pixels is a phone; 640 is a 1280-pixel window zoomed to 200%.
    page = browsers.page(
        view, "reflow", device_scale_factor=2, viewport={"width": 360, "height": 740}
    )
    page.set_viewport_size({"width": 360, "height": 740})
    visit.open(page, browsers.base, site)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    for width, height in ((360, 740), (640, 400)):
        page.set_viewport_size({"width": width, "height": height})
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], f"{page.url} at {width}px: {found}"
