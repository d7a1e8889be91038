"""With JavaScript, the composer gives live feedback on wording; without it, the button does."""

import uuid

import pytest

pytestmark = pytest.mark.browser


def test_typing_hurtful_wording_shows_a_live_nudge_within_the_policy(live_server, browser):
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    name = f"Wren{uuid.uuid4().hex[:6]}"
    page.goto(base + "/signup")
    page.get_by_label("Pseudonym").fill(name)
    page.get_by_label("Password", exact=True).fill("steady steps every day")
    page.get_by_label("Password again").fill("steady steps every day")
    page.get_by_role("button", name="Join").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()

    page.goto(base + "/stories/new")
    page.get_by_label("Your story").press_sequentially("My neighbour is a total psycho.", delay=5)
    nudge = page.locator("#body-live")
    nudge.get_by_text("psycho", exact=True).wait_for()
    assert nudge.get_attribute("role") == "status"
    assert "Some wording here can hurt" in nudge.inner_text()
    # The panel is built from text nodes: markup typed by a member stays text.
    page.get_by_label("Your story").fill("")
    page.get_by_label("Your story").press_sequentially(
        "<img src=x onerror=alert(1)> psycho", delay=5
    )
    nudge.get_by_text("psycho", exact=True).wait_for()
    assert page.locator("#body-live img").count() == 0
    assert problems == [], problems
    context.close()
