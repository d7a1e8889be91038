"""Data the browser suites look at, made through the JSON API and the `kindred` CLI."""

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx

from tests.live import LiveServer

PASSWORD = "steady steps every day"
CRISIS = "I've been saving my pills and I'm going to take them all tonight"
STIGMA = "My neighbour was acting like a total psycho about the bins again."


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


@dataclass
class Member:
    pseudonym: str
    id: int
    token: str


@dataclass
class Site:
    """Who and what exists: ids the page addresses need."""

    member: Member
    peer: Member
    moderator: Member
    word: str
    story_id: int = 0
    reply_id: int = 0
    tip_id: int = 0
    nested_id: int = 0
    removed_id: int = 0
    crisis_id: int = 0
    case_id: int = 0
    appeal_case_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Api:
    def __init__(self, server: LiveServer, http: httpx.Client, *, readable: bool) -> None:
        self.server, self.http, self.readable = server, http, readable

    def call(self, who: Member | None, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {who.token}"} if who else {}
        response = self.http.request(method, path, headers=headers, **kwargs)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def join(self, prefix: str, *, moderator: bool = False) -> Member:
        """An account named PREFIX and a random suffix (just PREFIX when readable and free)."""
        name = prefix if self.readable else unique(prefix)
        created = self.http.post("/accounts", json={"pseudonym": name, "password": PASSWORD})
        if created.status_code == 409:
            name = unique(prefix)
            created = self.http.post("/accounts", json={"pseudonym": name, "password": PASSWORD})
        assert created.status_code == 201, created.text
        account = created.json()
        if moderator:
            self.server.cli("moderator", "add", name)
        session = self.call(
            None, "POST", "/sessions", json={"pseudonym": name, "password": PASSWORD}
        )
        return Member(name, account["account"]["id"], session["token"])

    def story(self, who: Member, circle: str, title: str, body: str, **extra: Any) -> int:
        payload = {"circle": circle, "title": title, "body": body, **extra}
        return int(self.call(who, "POST", "/stories", json=payload)["id"])

    def reply(self, who: Member, story_id: int, body: str, **extra: Any) -> int:
        payload = {"body": body, **extra}
        return int(self.call(who, "POST", f"/stories/{story_id}/replies", json=payload)["id"])

    def case_for(self, moderator: Member, post_id: int) -> int:
        items = self.call(moderator, "GET", "/moderation/queue", params={"limit": 100})["items"]
        return next(int(item["id"]) for item in items if item["post"]["id"] == post_id)


def seed(server: LiveServer, *, readable: bool = False) -> Site:
    """A story with replies, a nested reply and a coping tip; a removed reply; a crisis story;
    an open report; all three kinds of viewer. `readable` drops the random suffixes from names
    where it can (for screenshots)."""
    with httpx.Client(base_url=server.url + "/api/v1", timeout=30) as http:
        return _seed(Api(server, http, readable=readable))


def _seed(api: Api) -> Site:
    word = "lanterns" if api.readable else unique("lanterns")
    moderator = api.join("Yarrow", moderator=True)
    site = Site(member=api.join("Rowan"), peer=api.join("Hazel"), moderator=moderator, word=word)
    site.story_id = api.story(
        site.member,
        "anxiety",
        f"Evening walks with {word}",
        f"Most evenings I walk to the pond and count the {word} in the windows.\n\n"
        "- it slows my breathing\n- it gets me outside\n\n> one step, then the next",
        content_warning="panic attacks",
    )
    site.reply_id = api.reply(
        site.peer, site.story_id, "Thank you for sharing this, it helps to read."
    )
    site.tip_id = api.reply(
        site.peer,
        site.story_id,
        "When my chest tightens I breathe in for four and out for six, five times.",
        coping_tip=True,
    )
    site.nested_id = api.reply(
        site.member, site.story_id, "I'll try the four and six tonight.", parent_id=site.tip_id
    )
    for kind in ("support", "helpful"):
        api.call(site.member, "PUT", f"/posts/{site.tip_id}/reactions/{kind}")

    # A reply of the member's that a moderator removed (for the appeal form and the log).
    site.removed_id = api.reply(site.member, site.story_id, "Nobody here wants to hear it anyway.")
    api.call(site.peer, "POST", "/reports", json={"post_id": site.removed_id, "reason": "other"})
    removed_case = api.case_for(site.moderator, site.removed_id)
    api.call(site.moderator, "POST", f"/moderation/queue/{removed_case}/claim")
    api.call(
        site.moderator,
        "POST",
        f"/moderation/queue/{removed_case}/decision",
        json={"action": "remove", "reason": "It could hurt someone who is struggling."},
    )

    api.call(
        site.member,
        "POST",
        f"/posts/{site.removed_id}/appeal",
        json={"text": "I meant that I felt unheard, not that others are."},
    )
    site.appeal_case_id = api.case_for(site.moderator, site.removed_id)

    # An open report for the moderation item page, and a crisis story at the top of the queue.
    api.call(
        site.member,
        "POST",
        "/reports",
        json={"post_id": site.reply_id, "reason": "stigmatising", "details": "The wording."},
    )
    site.case_id = api.case_for(site.moderator, site.reply_id)
    api.call(site.moderator, "POST", f"/moderation/queue/{site.case_id}/claim")
    site.crisis_id = api.story(
        site.member, "depression", "A hard night" if api.readable else unique("Tonight "), CRISIS
    )
    return site


def compose_with_nudge(page: Any, base: str, site: Site) -> None:
    """A member's draft with stigmatising wording, checked: the nudge is on the page."""
    page.goto(base + "/stories/new")
    page.get_by_label("Circle").select_option("anxiety")
    page.get_by_label("Title").fill("The bins, again")
    page.get_by_label("Your story").fill(STIGMA)
    page.get_by_role("button", name="Check my wording").click()
    page.get_by_role("region", name="Before you post").wait_for()
