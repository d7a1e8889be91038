from tests.factories import assert_problem, make_reply, make_story


def test_search_answers_a_page_of_story_summaries(client, db, circle, member):
    story = make_story(db, circle=circle, author=member, title="Heron mornings", body="Early.")
    make_story(db, circle=circle, title="Anonymous heron", body="Quiet.", anonymous=True)
    response = client.get("/api/v1/search", params={"q": "heron"})
    assert response.status_code == 200
    page = response.json()
    assert page["next_cursor"] is None
    by_title = {item["title"]: item for item in page["items"]}
    assert by_title["Heron mornings"]["id"] == story.id
    assert by_title["Heron mornings"]["author"] == {"pseudonym": member.pseudonym}
    assert by_title["Anonymous heron"]["author"] is None


def test_a_story_found_through_a_reply_is_listed_once(client, db, circle):
    story = make_story(db, circle=circle, title="Week two", body="Hard days.")
    make_reply(db, story=story, body="Otters at the river helped me.")
    make_reply(db, story=story, body="Otters! Same for me.")
    items = client.get("/api/v1/search", params={"q": "otters"}).json()["items"]
    assert [item["id"] for item in items] == [story.id]


def test_search_pages_with_a_cursor(client, db, circle):
    for n in range(5):
        make_story(db, circle=circle, title=f"Wren {n}", body="wren")
    first = client.get("/api/v1/search", params={"q": "wren", "limit": 3}).json()
    second = client.get(
        "/api/v1/search", params={"q": "wren", "limit": 3, "cursor": first["next_cursor"]}
    ).json()
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in second["items"]]
    assert len(ids) == len(set(ids)) == 5 and second["next_cursor"] is None


def test_search_refuses_an_empty_or_overlong_query_or_a_forged_cursor(client):
    assert_problem(client.get("/api/v1/search"), 422, field="q")
    assert_problem(client.get("/api/v1/search", params={"q": ""}), 422, field="q")
    assert_problem(client.get("/api/v1/search", params={"q": "x" * 201}), 422, field="q")
    assert_problem(client.get("/api/v1/search", params={"q": "x", "cursor": "nonsense"}), 422)


def test_search_syntax_never_causes_an_error(client, db, circle):
    make_story(db, circle=circle, title="Anything", body="at all")
    for q in ['"', "NEAR(", "a AND", "-", "\u0000", "title:x", "*", "'; DROP TABLE post; --"]:
        assert client.get("/api/v1/search", params={"q": q}).status_code == 200
