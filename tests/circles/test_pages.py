from tests.factories import make_account, make_circle, make_story


def test_the_home_page_lists_circles_and_recent_stories(client, db):
    circle = make_circle(db, name="Residential life")
    make_story(db, circle=circle, title="First night in the house")
    page = client.get("/")
    assert page.status_code == 200
    assert "Residential life" in page.text
    assert "First night in the house" in page.text
    assert f'href="/circles/{circle.slug}"' in page.text


def test_a_story_behind_a_content_warning_shows_no_excerpt_in_lists(client, db):
    circle = make_circle(db)
    make_story(
        db,
        circle=circle,
        title="Hard days",
        body="the words behind the warning",
        content_warning="self-harm mentioned",
    )
    page = client.get(f"/circles/{circle.slug}")
    assert "Content warning: self-harm mentioned" in page.text
    assert "the words behind the warning" not in page.text


def test_a_circle_page_pages_through_its_stories_newest_first(client, db):
    circle = make_circle(db)
    author = make_account(db)
    titles = [f"Story number {i:02d}" for i in range(45)]
    for title in titles:
        make_story(db, circle=circle, author=author, title=title)
    seen: list[str] = []
    url = f"/circles/{circle.slug}"
    for _ in range(3):
        page = client.get(url)
        assert page.status_code == 200
        found = [t for t in reversed(titles) if f">{t}<" in page.text]
        seen.extend(found)
        next_link = page.text.split('rel="next" href="')
        if len(next_link) == 1:
            break
        url = next_link[1].split('"')[0].replace("&amp;", "&")
    assert seen == list(reversed(titles))


def test_an_unknown_circle_is_a_friendly_404(client):
    page = client.get("/circles/nowhere")
    assert page.status_code == 404
    assert "There is no circle at this address." in page.text


def test_a_broken_cursor_gives_a_friendly_page(client, db):
    circle = make_circle(db)
    page = client.get(f"/circles/{circle.slug}?cursor=not-ours")
    assert page.status_code == 422
    assert "text/html" in page.headers["content-type"]
