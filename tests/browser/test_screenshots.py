"""Screenshots of the main pages, desktop and phone, light (and a few dark).

They go to a temporary folder on every run, so the suite proves the pages can be shot; with
KINDRED_SCREENSHOTS_DIR=docs/screenshots (`make screenshots`) they refresh the README's pictures.
"""

import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.seed import PASSWORD, Member, Site, compose_with_nudge, seed

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def story_at_the_tip(page: Any, base: str, site: Site) -> None:
    """The story (folded behind its content warning) and its replies, down to the tip."""
    page.goto(f"{base}/stories/{site.story_id}")
    page.locator(f"#reply-{site.tip_id}").scroll_into_view_if_needed()


@dataclass(frozen=True)
class Shot:
    name: str
    who: str  # "member", "moderator" or "" (signed out)
    address: str | Callable[[Any, str, Site], None]
    heading: str  # the page's h1, to be sure the right page was shot
    shows: str = ""  # a text the picture must contain
    dark: tuple[str, ...] = ()  # sizes also shot in dark mode


SHOTS = [
    Shot("home", "", "/", "Welcome to Kindred", "Recent stories", dark=("desktop",)),
    Shot("circle", "member", "/circles/anxiety", "Anxiety", "Evening walks with"),
    Shot("story", "member", story_at_the_tip, "Evening walks with", "Coping tip", dark=("phone",)),
    Shot("compose-nudge", "member", compose_with_nudge, "Share a story", "Before you post"),
    Shot("search", "member", "/search?q={site.word}", "Search", "Evening walks with"),
    Shot("tips", "", "/tips", "Coping tips", "Evening walks with"),
    Shot("help", "", "/help", "Help, right now", "Samaritans"),
    Shot("me", "member", "/me", "My account", "Recovery codes"),
    Shot("moderation-queue", "moderator", "/moderation", "Moderation", "crisis"),
    Shot(
        "moderation-item", "moderator", "/moderation/cases/{site.case_id}", "Queue item", "Decide"
    ),
]


@pytest.fixture(scope="module")
def site(live_server) -> Site:
    return seed(live_server, readable=True)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("KINDRED_SCREENSHOTS_DIR")
    path = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def signed_in(browser, live_server, site) -> Iterator[dict[str, Any]]:
    """Each person's cookies, from signing in through the form once."""
    states: dict[str, Any] = {"": None}
    for who, member in (("member", site.member), ("moderator", site.moderator)):
        states[who] = sign_in(browser, live_server.url, member)
    yield states


def sign_in(browser: Any, base: str, member: Member) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/signin")
    page.get_by_label("Pseudonym").fill(member.pseudonym)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=member.pseudonym).wait_for()
    state = context.storage_state()
    context.close()
    return state


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def cases() -> list[Any]:
    params = []
    for shot in SHOTS:
        for size in SIZES:
            params.append(pytest.param(shot, size, "light", id=f"{shot.name}-{size}"))
        for size in shot.dark:
            params.append(pytest.param(shot, size, "dark", id=f"{shot.name}-{size}-dark"))
    return params


@pytest.mark.parametrize(("shot", "size", "scheme"), cases())
def test_screenshot_of_a_main_page(
    browser, live_server, site, signed_in, folder, shot, size, scheme
):
    width, height = SIZES[size]
    context = browser.new_context(
        storage_state=signed_in[shot.who],
        viewport={"width": width, "height": height},
        color_scheme=scheme,
    )
    try:
        page = context.new_page()
        if callable(shot.address):
            shot.address(page, live_server.url, site)
        else:
            page.goto(live_server.url + shot.address.format(site=site))
        assert shot.heading in page.get_by_role("heading", level=1).inner_text()
        assert shot.shows in page.locator("main").inner_text()
        suffix = "" if scheme == "light" else "-dark"
        path = folder / f"{shot.name}-{size}{suffix}.png"
        page.screenshot(path=path, full_page=False, animations="disabled", caret="hide")
    finally:
        context.close()

    assert png_size(path) == (width, height)
