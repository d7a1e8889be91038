from tests.factories import make_account, make_reply, make_story, post_form, sign_in_page


def test_a_reaction_button_toggles_and_shows_its_count(client, db):
    story = make_story(db)
    reply = make_reply(db, story=story)
    sign_in_page(client, make_account(db))
    page = f"/stories/{story.id}"
    action = f"/posts/{reply.id}/reactions"

    response = post_form(client, page, action, {"kind": "helpful"})
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"#reply-{reply.id}")
    html = client.get(page).text
    article = html[html.index(f'id="reply-{reply.id}"') :]
    assert 'value="helpful" class="reaction" aria-pressed="true"' in article
    assert 'Helpful <span class="count">1</span>' in article

    post_form(client, page, action, {"kind": "helpful"})
    html = client.get(page).text
    article = html[html.index(f'id="reply-{reply.id}"') :]
    assert 'Helpful <span class="count">0</span>' in article


def test_an_unknown_reaction_kind_is_refused_kindly(client, db):
    story = make_story(db)
    sign_in_page(client, make_account(db))
    response = post_form(
        client, f"/stories/{story.id}", f"/posts/{story.id}/reactions", {"kind": "downvote"}
    )
    assert response.status_code == 422
    assert "Please choose one of the reactions." in response.text
