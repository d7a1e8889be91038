import re

from app.stories import service as stories
from tests.factories import csrf_from, make_account, make_reply, make_story, sign_in_page


def header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_header_shows_the_unread_count_to_screen_readers_too(client, db, member, other):
    story = make_story(db, author=member)
    make_reply(db, story=story, author=other)
    make_reply(db, story=story, author=other)
    sign_in_page(client, member)

    nav = header(client.get("/").text)

    assert (
        '<a href="/notifications">Notifications <span class="badge">2'
        '<span class="visually-hidden"> unread</span></span></a>'
    ) in nav


def test_the_header_has_a_plain_link_when_nothing_is_unread_and_none_when_signed_out(
    client, db, member
):
    assert "/notifications" not in header(client.get("/").text)
    sign_in_page(client, member)
    assert '<a href="/notifications">Notifications</a>' in header(client.get("/").text)


def test_the_unread_count_costs_one_query_per_page(client, db, member, other, queries):
    story = make_story(db, author=member)
    for _ in range(3):
        make_reply(db, story=story, author=other)
    sign_in_page(client, member)
    queries.statements.clear()

    client.get(f"/stories/{story.id}")

    on_notifications = [s for s in queries.statements if "notification" in s]
    assert len(on_notifications) == 1, on_notifications


def test_the_list_marks_unread_notices_in_words_and_links_through_a_mark_read_address(
    client, db, member, other
):
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=other)
    sign_in_page(client, member)

    html = client.get("/notifications").text

    item = re.search(r'<li class="notice-item unread">(.*?)</li>', html, re.S)
    assert item, html
    assert '<strong class="badge unread-badge">Unread</strong>' in item.group(1)
    assert f"{other.pseudonym} replied to your story." in item.group(1)
    link = re.search(r'href="(/notifications/\d+)"', item.group(1))
    assert link

    followed = client.get(link.group(1), follow_redirects=False)

    assert followed.status_code == 303
    assert followed.headers["location"] == f"/stories/{story.id}#reply-{reply.id}"
    html = client.get("/notifications").text
    assert 'class="notice-item unread"' not in html and "Unread</strong>" not in html
    assert '<a href="/notifications">Notifications</a>' in header(html)


def test_mark_all_as_read_needs_the_forms_csrf_token(client, db, member, other):
    story = make_story(db, author=member)
    make_reply(db, story=story, author=other)
    make_reply(db, story=story, author=other)
    sign_in_page(client, member)
    page = client.get("/notifications").text
    assert "Mark all as read" in page

    forged = client.post("/notifications/read", data={"csrf_token": "x"}, follow_redirects=False)
    assert forged.status_code == 403
    done = client.post(
        "/notifications/read", data={"csrf_token": csrf_from(page)}, follow_redirects=False
    )

    assert done.status_code == 303 and done.headers["location"] == "/notifications"
    html = client.get("/notifications").text
    assert "Mark all as read" not in html and "Unread</strong>" not in html


def test_another_members_notice_cannot_be_opened(client, db, member, other):
    make_reply(db, story=make_story(db, author=other))
    sign_in_page(client, other)
    their_link = re.search(r'href="(/notifications/\d+)"', client.get("/notifications").text)
    assert their_link
    client.cookies.clear()
    sign_in_page(client, member)

    response = client.get(their_link.group(1), follow_redirects=False)

    assert response.status_code == 404
    client.cookies.clear()
    sign_in_page(client, other)
    assert "Unread</strong>" in client.get("/notifications").text


def test_a_notice_about_a_deleted_reply_has_no_link_and_no_words_of_it(client, db, member):
    replier = make_account(db)
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=replier, body="Quietgrove words")
    stories.delete_post(db, actor=replier, post_id=reply.id)
    sign_in_page(client, member)

    html = client.get("/notifications").text

    assert "no longer available" in html
    assert "Quietgrove" not in html and replier.pseudonym not in html
    assert not re.search(r'href="/notifications/\d+"', html)


def test_the_list_pages_older_notices(client, db, member):
    story = make_story(db, author=member)
    for _ in range(21):
        make_reply(db, story=story)
    sign_in_page(client, member)

    html = client.get("/notifications").text
    older = re.search(r'<a rel="next" href="([^"]+)">Older</a>', html)
    assert older and html.count('class="notice-item') == 20

    rest = client.get(older.group(1).replace("&amp;", "&")).text
    assert rest.count('class="notice-item') == 1
    assert 'rel="next"' not in rest


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


def test_my_account_links_to_notifications(client, db, member, other):
    make_reply(db, story=make_story(db, author=member), author=other)
    sign_in_page(client, member)

    html = client.get("/me").text

    assert '<a href="/notifications">My notifications</a> (1 unread)' in html
