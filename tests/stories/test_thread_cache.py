"""The shared cache of signed-out story pages and API trees is never stale.

Each write below goes through the path members and moderators use, after the page and the
tree have been cached; the next signed-out read must show the change. The database moves the
thread's version on in the writing transaction (migration 0006's triggers), so a forgotten
invalidation is impossible, and these tests would catch a trigger that is missing.
"""

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import cache
from app.accounts import personal_data
from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.moderation import service as moderation
from app.moderation.models import Decision, ModerationCase, ReportReason
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service as stories
from app.stories import thread_page
from app.stories.models import Post
from app.web import csrf_slot, templates
from tests.factories import csrf_from, make_account, make_reply, make_story, sign_in_page

API = "/api/v1"


@pytest.fixture
def thread(db: Session, circle: Circle, member: Account, other: Account) -> dict[str, Any]:
    story = make_story(db, author=member, circle=circle, title="A story to keep")
    reply = make_reply(db, story=story, author=other, body="Words from the reply.")
    db.commit()
    return {"story": story, "reply": reply, "member": member, "other": other, "circle": circle}


def _reply(db: Session, t: dict[str, Any]) -> str:
    make_reply(db, story=t["story"], author=t["member"], body="A brand new answer.")
    return "A brand new answer."


def _edit_story(db: Session, t: dict[str, Any]) -> str:
    changes = {"body": "The story, told again."}
    stories.edit_post(db, actor=t["member"], post_id=t["story"].id, changes=changes)
    return "The story, told again."


def _edit_reply(db: Session, t: dict[str, Any]) -> str:
    changes = {"body": "The reply, put better."}
    stories.edit_post(db, actor=t["other"], post_id=t["reply"].id, changes=changes)
    return "The reply, put better."


def _react(db: Session, t: dict[str, Any]) -> str:
    reactions.react(db, member=t["member"], post=t["reply"], kind=ReactionKind.support)
    return "Support 1"


def _unreact(db: Session, t: dict[str, Any]) -> str:
    reactions.react(db, member=t["member"], post=t["reply"], kind=ReactionKind.helpful)
    db.commit()
    return "Helpful 0"


def _unreact_after(db: Session, t: dict[str, Any]) -> None:
    reactions.unreact(db, member=t["member"], post=t["reply"], kind=ReactionKind.helpful)


def _rename_circle(db: Session, t: dict[str, Any]) -> str:
    db.execute(update(Circle).where(Circle.id == t["circle"].id).values(name="Renamed circle"))
    return "Renamed circle"


def _rename_member(db: Session, t: dict[str, Any]) -> str:
    db.execute(update(Account).where(Account.id == t["other"].id).values(pseudonym="NewName42"))
    return "NewName42"


# Each: (make a change, the text the signed-out page then shows, or that it no longer shows).
SHOWN: dict[str, Callable[[Session, dict[str, Any]], str]] = {
    "a reply": _reply,
    "an edited story": _edit_story,
    "an edited reply": _edit_reply,
    "a reaction": _react,
    "a renamed circle": _rename_circle,
    "a renamed member": _rename_member,
}


def _delete_reply(db: Session, t: dict[str, Any]) -> None:
    stories.delete_post(db, actor=t["other"], post_id=t["reply"].id)


def _remove_reply(db: Session, t: dict[str, Any]) -> None:
    _remove(db, t["reply"], reason="Spam.")


def _reports_hide_reply(db: Session, t: dict[str, Any]) -> None:
    for _ in range(3):  # the default report_hide_threshold
        moderation.file_report(
            db,
            reporter=make_account(db),
            post_id=t["reply"].id,
            reason=ReportReason.harassment,
            details=None,
        )


def _erase_author(db: Session, t: dict[str, Any]) -> None:
    personal_data.delete_account(db, account=t["other"], content="erase")


def _anonymise_author(db: Session, t: dict[str, Any]) -> None:
    personal_data.delete_account(db, account=t["other"], content="anonymise")


GONE: dict[str, tuple[Callable[[Session, dict[str, Any]], None], str]] = {
    "a reply its author deleted": (_delete_reply, "Words from the reply."),
    "a reply a moderator removed": (_remove_reply, "Words from the reply."),
    "a reply hidden by reports": (_reports_hide_reply, "Words from the reply."),
    "an erased account's reply": (_erase_author, "Words from the reply."),
    "an anonymised account's name": (_anonymise_author, "pseudonym"),
}


def _signed_out(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return str(response.text)


def _paths(t: dict[str, Any]) -> list[str]:
    return [f"/stories/{t['story'].id}", f"{API}/stories/{t['story'].id}"]


def _prime(client: Any, t: dict[str, Any]) -> dict[str, str]:
    """Read each path twice, the second time from the cache, and return what was served."""
    served = {path: _signed_out(client, path) for path in _paths(t)}
    for path in _paths(t):
        assert _signed_out(client, path) == served[path]
    return served


@pytest.mark.parametrize("change", SHOWN)
def test_a_change_shows_at_once_to_signed_out_readers(db, client, thread, change) -> None:
    _prime(client, thread)
    expected = SHOWN[change](db, thread)
    db.commit()
    page, tree = (_signed_out(client, path) for path in _paths(thread))
    if change == "a reaction":
        assert expected in page and '"support":1' in tree.replace(" ", "")
    elif change == "a renamed circle":
        assert expected in page  # the API names the circle by its slug
    else:
        assert expected in page and expected in tree


def test_a_reaction_taken_back_shows_at_once(db, client, thread) -> None:
    _unreact(db, thread)
    assert "Helpful 1" in _signed_out(client, f"/stories/{thread['story'].id}")
    _unreact_after(db, thread)
    db.commit()
    assert "Helpful 0" in _signed_out(client, f"/stories/{thread['story'].id}")


@pytest.mark.parametrize("change", GONE)
def test_words_taken_away_are_gone_at_once_for_signed_out_readers(
    db, client, thread, change
) -> None:
    before = _prime(client, thread)
    make_change, words = GONE[change]
    if words == "pseudonym":
        words = thread["other"].pseudonym
    assert all(words in text for text in before.values())
    make_change(db, thread)
    db.commit()
    for path in _paths(thread):
        assert words not in _signed_out(client, path), path


def test_a_cached_page_is_served_without_rendering_or_loading_the_thread(
    db, client, thread, queries, monkeypatch
) -> None:
    served = _prime(client, thread)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(templates, "TemplateResponse", refuse)
    monkeypatch.setattr(stories, "get_thread", refuse)
    before = queries.count
    for path in _paths(thread):
        assert _signed_out(client, path) == served[path]
    assert queries.count - before == 2  # one version lookup for each


def test_signed_in_readers_and_pages_with_a_notice_are_rendered_for_them(
    db, client, thread, auth
) -> None:
    story_id = thread["story"].id
    _prime(client, thread)
    tree = client.get(f"{API}/stories/{story_id}", headers=auth).json()
    assert tree["mine"] is True  # not the signed-out tree from the cache
    noticed = client.get(f"/stories/{story_id}", params={"notice": "reported"})
    assert "A moderator will look at that post." in noticed.text


def _kept(story_id: int, version: int | None = None) -> list[str]:
    """Which kinds of entry the store holds for this story (for this version, if given)."""
    kinds = ("story-page", "story-json", "story-reader")
    tag = b"" if version is None else cache._tag(version)
    held = {kind: cache._store().get(f"{kind}:{story_id}") for kind in kinds}
    return [kind for kind, value in held.items() if value is not None and value.startswith(tag)]


def test_no_cache_at_all_when_cache_seconds_is_zero(db, client, thread, settings) -> None:
    settings.cache_seconds = 0
    _prime(client, thread)
    version = _version(db, thread)
    assert _kept(thread["story"].id, version) == []
    settings.cache_seconds = 600
    _prime(client, thread)
    assert _kept(thread["story"].id, version) == ["story-page", "story-json"]


def test_a_story_that_does_not_exist_is_a_404_and_nothing_is_kept(db, client) -> None:
    assert client.get("/stories/999999").status_code == 404
    assert client.get(f"{API}/stories/999999").status_code == 404
    assert _kept(999999) == []


def test_a_pending_story_is_not_kept_for_signed_out_readers(db, client, circle, settings) -> None:
    settings.premoderate_first_posts = 1
    story = make_story(db, author=make_account(db), circle=circle, title="Waiting for review")
    db.commit()
    for path in (f"/stories/{story.id}", f"{API}/stories/{story.id}"):
        first, second = client.get(path), client.get(path)
        assert first.status_code == second.status_code == 404
        assert "Waiting for review" not in second.text
    version = stories.thread_version(db, story_id=story.id)
    assert version is not None and _kept(story.id, version) == []


def test_the_sign_in_link_of_a_kept_page_does_not_repeat_how_the_first_reader_spelt_it(
    db, client, thread
) -> None:
    story_id = thread["story"].id
    client.get(f"/stories/{story_id:05d}")
    page = client.get(f"/stories/{story_id}").text
    assert f"next=%2Fstories%2F{story_id}" in page and f"%2F{story_id:05d}" not in page


def _version(db: Session, t: dict[str, Any]) -> int:
    version = stories.thread_version(db, story_id=t["story"].id)
    assert version is not None
    return version


# --- The reader view: one rendering of the thread for every signed-in reader who has not
# written in it, with their own reactions and form token put in.


@pytest.fixture
def busy_thread(db: Session, circle: Circle, member: Account, other: Account, settings) -> Post:
    """A thread with a bit of everything a reader may or may not see."""
    settings.premoderate_first_posts = 0
    story = make_story(db, author=other, circle=circle, title="A busy thread", content_warning="cw")
    parent = make_reply(db, story=story, body="First answer.", coping_tip=True)
    deep = parent
    for n in range(5):  # deeper than the page indents
        deep = make_reply(db, story=story, parent=deep, body=f"Deeper {n}.", anonymous=n == 2)
    gone = make_reply(db, story=story, body="Taken back.")
    stories.delete_post(db, actor=gone.author, post_id=gone.id)  # type: ignore[arg-type]
    settings.premoderate_first_posts = 1
    make_reply(db, story=story, author=make_account(db), body="Waiting for a moderator.")
    for post, kind in ((story, ReactionKind.support), (parent, ReactionKind.helpful)):
        reactions.react(db, member=member, post=post, kind=kind)
    reactions.react(db, member=other, post=parent, kind=ReactionKind.me_too)
    db.commit()
    return story


def _full_render(client: Any, path: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:  # the page rendered for this viewer alone
        patch.setattr(thread_page, "for_member", lambda *args, **kwargs: None)
        return str(client.get(path).text)


def test_a_reader_gets_exactly_the_page_a_full_rendering_gives(
    db, client, busy_thread, member, monkeypatch
) -> None:

    sign_in_page(client, member)
    path = f"/stories/{busy_thread.id}"
    for query in ("", "?notice=reported"):
        first, second = client.get(path + query), client.get(path + query)  # made, then kept
        assert first.status_code == second.status_code == 200
        full = _full_render(client, path + query, monkeypatch)
        assert first.text == second.text == full
    assert 'aria-pressed="true" id="react-' in full  # the reader's own reactions, pressed
    assert full.count('aria-pressed="true"') == 2
    assert "Waiting for a moderator." not in full and "Deeper 4." in full


def test_each_reader_sees_their_own_reactions_and_token_in_the_kept_thread(
    db, client, busy_thread, member, monkeypatch
) -> None:

    sign_in_page(client, member)
    path = f"/stories/{busy_thread.id}"
    mine = client.get(path).text
    client.cookies.clear()
    reader = make_account(db)
    db.commit()
    sign_in_page(client, reader)
    theirs = client.get(path).text
    assert mine.count('aria-pressed="true"') == 2 and theirs.count('aria-pressed="true"') == 0
    assert csrf_from(mine) != csrf_from(theirs)
    assert theirs == _full_render(client, path, monkeypatch)
    assert csrf_slot() not in mine + theirs


def test_authors_see_their_own_posts_in_place_exactly_as_a_full_rendering_gives(
    db, client, busy_thread, other, settings, monkeypatch
) -> None:
    settings.premoderate_first_posts = 0
    settings.crisis_posts_held = False
    replier = make_account(db)
    kept = make_reply(db, story=busy_thread, author=replier, body="My own answer.")
    make_reply(db, story=busy_thread, author=replier, parent=kept, body="Said quietly.",
               anonymous=True)  # fmt: skip
    make_reply(db, story=busy_thread, author=replier, body="I want to end my life tonight.")
    removed = make_reply(db, story=busy_thread, author=replier, body="Words a moderator took.")
    make_reply(db, story=busy_thread, parent=removed, body="An answer to it stays.")
    _remove(db, removed, reason="Not kind.")
    reactions.react(db, member=replier, post=kept, kind=ReactionKind.thank_you)
    db.commit()
    path = f"/stories/{busy_thread.id}"
    for author, shows in (
        (other, [f'href="/posts/{busy_thread.id}/edit"']),  # the story's author
        (replier, [f'href="/posts/{kept.id}/edit"', "Said quietly.", "Help, right now",
                   "Words a moderator took.", "A moderator removed this: Not kind."]),
    ):  # fmt: skip
        client.cookies.clear()
        sign_in_page(client, author)
        first, second = client.get(path).text, client.get(path).text
        assert first == second == _full_render(client, path, monkeypatch)
        assert all(text in first for text in shows)


def test_an_author_whose_post_waits_for_a_moderator_sees_it_in_place(
    db, client, busy_thread, settings
) -> None:
    author = make_account(db)
    settings.premoderate_first_posts = 1
    make_reply(db, story=busy_thread, author=author, body="Not yet shown to others.")
    db.commit()
    sign_in_page(client, author)
    page = client.get(f"/stories/{busy_thread.id}").text
    assert "Not yet shown to others." in page and "Awaiting review" in page


def test_moderators_get_a_rendering_of_their_own(db, client, busy_thread, moderator) -> None:
    sign_in_page(client, moderator)  # sees the reply that waits for a moderator, in place
    assert "Waiting for a moderator." in client.get(f"/stories/{busy_thread.id}").text


def _remove(db: Session, post: Post, *, reason: str) -> None:
    moderator = make_account(db, role=Role.moderator)
    reporter = make_account(db)
    moderation.file_report(
        db, reporter=reporter, post_id=post.id, reason=ReportReason.spam, details=None
    )
    case = db.scalars(select(ModerationCase).where(ModerationCase.post_id == post.id)).one()
    moderation.decide_case(
        db, moderator=moderator, case_id=case.id, action=Decision.remove, reason=reason
    )


@pytest.mark.parametrize("change", SHOWN)
def test_a_change_shows_at_once_to_signed_in_readers(db, client, thread, change) -> None:

    reader = make_account(db)
    db.commit()
    sign_in_page(client, reader)
    path = f"/stories/{thread['story'].id}"
    before = client.get(path).text
    assert client.get(path).text == before
    expected = SHOWN[change](db, thread)
    db.commit()
    if change == "a reaction":  # a button with its count, for members
        expected = 'Support <span class="count">1</span>'
    assert expected in client.get(path).text


@pytest.mark.parametrize("change", GONE)
def test_words_taken_away_are_gone_at_once_for_signed_in_readers(
    db, client, thread, change
) -> None:

    reader = make_account(db)
    db.commit()
    sign_in_page(client, reader)
    path = f"/stories/{thread['story'].id}"
    make_change, words = GONE[change]
    if words == "pseudonym":
        words = thread["other"].pseudonym
    assert words in client.get(path).text and words in client.get(path).text
    make_change(db, thread)
    db.commit()
    assert words not in client.get(path).text


def test_members_share_the_thread_through_redis_each_with_their_own_token(
    db, client, thread, settings, redis_url
) -> None:
    """What a second worker does: the thread one member's request kept in Redis serves the
    next member, with their own token, until a write moves the version on."""
    settings.redis_url = redis_url
    story_id = thread["story"].id
    path = f"/stories/{story_id}"
    first, second = make_account(db), make_account(db)
    db.commit()
    sign_in_page(client, first)
    mine = client.get(path).text
    kept = cache.get(f"story-reader:{story_id}", version=_version(db, thread))
    assert kept is not None and csrf_slot().encode() in kept  # in Redis, with the stand-in
    client.cookies.clear()
    sign_in_page(client, second)
    theirs = client.get(path).text
    assert csrf_from(theirs) != csrf_from(mine) and "Words from the reply." in theirs
    _reply(db, thread)
    db.commit()
    assert "A brand new answer." in client.get(path).text
