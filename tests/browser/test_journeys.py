import re
import uuid

import httpx2 as httpx
import pytest

from tests.browser.seed import PASSWORD, Api

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


def test_a_reader_searches_from_the_header_and_finds_a_story_and_its_tip(live_server, page):
    base = live_server.url
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else external.append(r.url))
    word = f"kestrel{uuid.uuid4().hex[:6]}"
    with httpx.Client(base_url=base + "/api/v1", timeout=30) as http:
        api = Api(live_server, http, readable=False)
        author, peer = api.join("Sorrel"), api.join("Tansy")
        story = api.story(
            author, "recovery-wins", f"Watching the {word} at dawn", f"A {word} again."
        )
        tip = f"I keep a {word} notebook by the bed and write one thing that went well."
        api.reply(peer, story, tip, coping_tip=True)

    page.goto(base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Words to find").fill(word)
    page.get_by_role("button", name="Search").click()

    results = page.get_by_role("region", name=re.compile("^Stories matching"))
    results.get_by_role("link", name=f"Watching the {word} at dawn").click()
    page.get_by_role("heading", level=1, name=f"Watching the {word} at dawn").wait_for()
    assert "Coping tip" in page.locator("article.reply.tip").inner_text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tips").click()
    card = page.locator("article.tip").filter(has_text=tip)
    assert "Coping tip" in card.inner_text()
    card.get_by_role("link", name=f"Watching the {word} at dawn").click()
    assert re.search(rf"/stories/{story}#reply-\d+$", page.url)

    assert page.dialogs == []
    assert external == [], f"pages must not contact other sites: {external}"


def test_a_member_hears_of_a_reply_and_follows_the_notice_to_it(live_server, page):
    base = live_server.url
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else external.append(r.url))
    name, title = f"Linden{uuid.uuid4().hex[:6]}", f"First night home {uuid.uuid4().hex[:4]}"

    page.goto(base + "/signup")
    page.get_by_label("Pseudonym").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("link", name="I've kept them — continue").click()
    page.get_by_role("link", name="Share a story").first.click()
    page.get_by_label("Circle").select_option("residential-life")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your story").fill("The house was so quiet after the programme.")
    page.get_by_role("button", name="Share story").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    story = int(re.search(r"/stories/(\d+)", page.url)[1])
    header = page.get_by_role("navigation", name="Main")
    assert (
        header.get_by_role("link", name=re.compile("^Notifications")).inner_text()
        == "Notifications"
    )

    words = "The quiet got easier for me after the first fortnight. Be gentle with yourself."
    with httpx.Client(base_url=base + "/api/v1", timeout=30) as http:
        api = Api(live_server, http, readable=False)
        reply = api.reply(api.join("Aspen"), story, words)

    page.reload()
    header.get_by_role("link", name="Notifications 1 unread").click()
    page.get_by_role("heading", level=1, name="Notifications").wait_for()
    notice = page.get_by_role("main").get_by_role("listitem").filter(has_text="Unread")
    notice.get_by_role("link", name=re.compile(r"^Aspen\w+ replied to your story\.$")).click()

    page.wait_for_url(re.compile(rf"/stories/{story}#reply-{reply}$"))
    assert words in page.locator(f"#reply-{reply}").inner_text()
    assert (
        header.get_by_role("link", name=re.compile("^Notifications")).inner_text()
        == "Notifications"
    )

    assert page.dialogs == []
    assert external == [], f"pages must not contact other sites: {external}"
