import re
import uuid

import pytest

pytestmark = pytest.mark.browser


def test_a_member_joins_shares_a_story_replies_with_a_tip_and_reacts(live_server, page):
    base = live_server.url
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else external.append(r.url))
    name = f"Fern{uuid.uuid4().hex[:6]}"

    page.goto(base + "/")
    page.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Pseudonym").fill(name)
    page.get_by_label("Password", exact=True).fill("steady steps every day")
    page.get_by_label("Password again").fill("steady steps every day")
    page.get_by_role("button", name="Join").click()

    page.get_by_role("heading", name="Your recovery codes").wait_for()
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 8 and all(re.fullmatch(r"[0-9a-f]{5}(-[0-9a-f]{5}){3}", c) for c in codes)
    page.get_by_role("link", name="I've kept them — continue").click()

    page.get_by_role("link", name="Share a story").first.click()
    page.get_by_label("Circle").select_option("anxiety")
    page.get_by_label("Title").fill("Small steps on a hard week")
    page.get_by_label("Your story").fill("I went outside **twice** today.\n\n- a walk\n- the shop")
    page.get_by_label("Content warning (optional)").fill("panic")
    page.get_by_role("button", name="Share story").click()

    page.get_by_role("heading", name="Small steps on a hard week").wait_for()
    warning = page.locator("details.content-warning")
    assert warning.get_attribute("open") is None  # collapsed until the reader opens it
    warning.locator("summary").click()
    assert page.locator("details.content-warning strong").inner_text() == "twice"

    page.get_by_label("Your reply").fill("Writing three good things before bed helps me.")
    page.get_by_label("This is a coping tip (something that helped me)").check()
    page.get_by_role("button", name="Post reply").click()

    tip = page.locator("article.reply.tip")
    tip.wait_for()
    assert "Coping tip" in tip.inner_text()
    assert re.search(r"#reply-\d+$", page.url)

    tip.get_by_role("button", name=re.compile("^Helpful")).click()
    helpful = page.locator("article.reply.tip").get_by_role("button", name=re.compile("^Helpful"))
    assert helpful.get_attribute("aria-pressed") == "true"
    assert helpful.locator(".count").inner_text() == "1"

    assert page.dialogs == []
    assert external == [], f"pages must not contact other sites: {external}"
