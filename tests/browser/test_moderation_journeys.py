"""Moderation and crisis journeys through a real browser, with JavaScript on and off."""

import re
import uuid

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "steady steps every day"
CRISIS = "I've been saving my pills and I'm going to take them all tonight"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def js_enabled(request: pytest.FixtureRequest) -> bool:
    return request.node.callspec.params["page"] == "js"


class People:
    """One browser context per person, built like the `page` fixture; dialogs are recorded."""

    def __init__(self, browser, page, javascript: bool) -> None:
        self.browser, self.javascript = browser, javascript
        self.pages = [page]
        self.contexts: list[object] = []

    def new_page(self):
        context = self.browser.new_context(java_script_enabled=self.javascript)
        self.contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        self.pages.append(page)
        return page

    def dialogs(self) -> list[str]:
        return [message for page in self.pages for message in page.dialogs]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(request, browser, page):
    crowd = People(browser, page, js_enabled(request))
    yield crowd
    crowd.close()


def join(page, base: str, name: str) -> None:
    page.goto(base + "/signup")
    page.get_by_label("Pseudonym").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    page.get_by_role("link", name="I've kept them — continue").click()
    page.get_by_role("link", name=name).wait_for()


def notice(page) -> str:
    return page.get_by_role("status").inner_text()


def test_a_report_is_removed_appealed_and_restored_by_a_second_moderator(live_server, people):
    base = live_server.url
    author_page, reporter_page = people.pages[0], people.new_page()
    first_mod_page, second_mod_page = people.new_page(), people.new_page()
    author, reporter = unique("Alder"), unique("Birch")
    first_mod, second_mod = unique("Cedar"), unique("Damson")
    words = f"Nobody here wants to hear it {uuid.uuid4().hex[:6]}"
    reason = "It could hurt someone who is struggling."

    # The author answers a story in the demo data.
    join(author_page, base, author)
    author_page.goto(base + "/circles/anxiety")
    author_page.locator("article.story-card h3 a").first.click()
    author_page.get_by_label("Your reply").fill(words)
    author_page.get_by_role("button", name="Post reply").click()
    author_page.wait_for_url(re.compile(r"#reply-\d+$"))
    story_url, reply_id = author_page.url.split("#reply-")

    # Another member reports that reply.
    join(reporter_page, base, reporter)
    reporter_page.goto(story_url)
    reply = reporter_page.locator(f"#reply-{reply_id}")
    assert words in reply.inner_text()
    reply.get_by_role("link", name="Report this post").click()
    reporter_page.get_by_role("heading", name="Report a post").wait_for()
    reporter_page.get_by_label("Harassment or bullying").check()
    reporter_page.get_by_label("Anything the moderators should know (optional)").fill(
        "It was aimed at the story's author."
    )
    reporter_page.get_by_role("button", name="Send report").click()
    reporter_page.wait_for_url(re.compile(rf"notice=reported#reply-{reply_id}$"))
    assert "Thank you. A moderator will look at that post." in notice(reporter_page)

    # A moderator claims the item and removes the reply with a reason.
    join(first_mod_page, base, first_mod)
    live_server.cli("moderator", "add", first_mod)
    first_mod_page.reload()
    first_mod_page.get_by_role("link", name="Moderation", exact=True).click()
    first_mod_page.get_by_role("heading", name="Moderation queue").wait_for()
    first_mod_page.get_by_role("link", name=f"Reply #{reply_id}").click()
    first_mod_page.get_by_role("heading", name=re.compile(r"^Queue item \d+$")).wait_for()
    case_text = first_mod_page.locator("main").inner_text()
    assert "report: harassment" in case_text and "It was aimed at the story's author." in case_text
    assert words in case_text
    first_mod_page.get_by_role("button", name="Claim this item").click()
    first_mod_page.wait_for_url(re.compile(r"notice=claimed"))
    assert "You have claimed this item" in notice(first_mod_page)
    assert f"claimed by {first_mod}" in first_mod_page.locator("main").inner_text()
    first_mod_page.get_by_label("Remove: hide it, with a reason the author sees").check()
    first_mod_page.get_by_label("Reason", exact=True).fill(reason)
    first_mod_page.get_by_role("button", name="Save decision").click()
    first_mod_page.wait_for_url(re.compile(r"/moderation\?notice=decided$"))
    assert "Decision saved." in notice(first_mod_page)

    reporter_page.goto(story_url)
    assert words not in reporter_page.locator("main").inner_text()

    # The author reads why on their account page and appeals.
    author_page.goto(base + "/me")
    assert f"Removed by a moderator: {reason}" in author_page.locator("main").inner_text()
    author_page.get_by_role("link", name="Appeal", exact=True).click()
    author_page.get_by_label("Why should it be restored?").fill(
        "I was talking about my own thoughts, not about the author."
    )
    author_page.get_by_role("button", name="Send appeal").click()
    author_page.wait_for_url(re.compile(r"/me\?notice=appealed$"))
    assert "A different moderator will decide it." in notice(author_page)

    # A second moderator, not the one who removed it, restores the reply.
    join(second_mod_page, base, second_mod)
    live_server.cli("moderator", "add", second_mod)
    second_mod_page.goto(base + "/moderation")
    second_mod_page.get_by_label("Reason", exact=True).select_option("appeal")
    second_mod_page.get_by_role("button", name="Show").click()
    second_mod_page.wait_for_url(re.compile(r"reason=appeal"))
    second_mod_page.get_by_role("link", name=f"Reply #{reply_id}").click()
    case_text = second_mod_page.locator("main").inner_text()
    assert "The author's appeal" in case_text and f"Removed because: {reason}" in case_text
    second_mod_page.get_by_label("Approve: publish, or keep published").check()
    second_mod_page.get_by_label("Reason", exact=True).fill(
        "Read in context, it is their own story."
    )
    second_mod_page.get_by_role("button", name="Save decision").click()
    second_mod_page.wait_for_url(re.compile(r"notice=decided$"))

    # The author sees the reply back, and so does everyone else.
    author_page.goto(base + "/me")
    assert "Restored after your appeal." in author_page.locator("main").inner_text()
    author_page.goto(story_url)
    assert words in author_page.locator(f"#reply-{reply_id}").inner_text()
    reporter_page.goto(story_url)
    assert words in reporter_page.locator(f"#reply-{reply_id}").inner_text()

    assert people.dialogs() == []


def test_a_crisis_story_shows_help_now_before_and_after_posting(live_server, people):
    base = live_server.url
    page = people.pages[0]
    name, title = unique("Elm"), unique("Tonight ")

    join(page, base, name)
    page.get_by_role("link", name="Share a story").first.click()
    page.get_by_label("Circle").select_option("depression")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your story").fill(CRISIS)
    page.get_by_role("button", name="Check my wording").click()

    nudge = page.get_by_role("region", name="Before you post")
    nudge.wait_for()
    assert "It sounds like things may be very hard right now." in nudge.inner_text()
    assert "Samaritans" in nudge.inner_text()
    assert page.get_by_label("Your story").input_value() == CRISIS
    page.get_by_role("button", name="Share story").click()

    page.wait_for_url(re.compile(r"/stories/\d+\?notice=held$"))
    assert "waiting for a moderator" in notice(page)
    for _ in range(2):
        panel = page.get_by_role("region", name="Help, right now")
        assert "Samaritans" in panel.inner_text()
        assert page.get_by_role("heading", name=title).is_visible()
        page.reload()

    assert people.dialogs() == []
