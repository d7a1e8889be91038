"""GET /api/v1/circles."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from tests.factories import make_account, make_circle

API = "/api/v1"


def test_circles_are_listed_with_slug_name_and_description(client: TestClient, db: Session) -> None:
    make_circle(db, slug="anxiety", name="Anxiety", description="Racing thoughts, shared.")

    response = client.get(f"{API}/circles")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    [item] = [c for c in response.json()["items"] if c["slug"] == "anxiety"]
    assert item == {"slug": "anxiety", "name": "Anxiety", "description": "Racing thoughts, shared."}


def test_circles_come_in_their_display_order_then_by_name(client: TestClient, db: Session) -> None:
    make_circle(db, slug="third", name="Zeta", position=900_002)
    make_circle(db, slug="second", name="Beta", position=900_001)
    make_circle(db, slug="first", name="Alpha", position=900_001)
    make_circle(db, slug="zeroth", name="Omega", position=-900_000)

    slugs = [c["slug"] for c in client.get(f"{API}/circles").json()["items"]]

    ours = [s for s in slugs if s in {"first", "second", "third", "zeroth"}]
    assert ours == ["zeroth", "first", "second", "third"]
    assert slugs[0] == "zeroth"
    assert slugs[-1] == "third"


def test_circles_are_listed_to_visitors_and_members_alike(client: TestClient, db: Session) -> None:
    make_circle(db, slug="grief")
    token, _ = accounts.start_session(db, account=make_account(db), kind="api")

    visitor = client.get(f"{API}/circles")
    member = client.get(f"{API}/circles", headers={"Authorization": f"Bearer {token}"})

    assert visitor.status_code == member.status_code == 200
    assert visitor.json() == member.json()
    assert "grief" in [c["slug"] for c in visitor.json()["items"]]


def test_the_circle_list_is_not_paginated_or_filtered_away(client: TestClient, db: Session) -> None:
    for n in range(25):
        make_circle(db, slug=f"room-{n}")

    items = client.get(f"{API}/circles").json()["items"]

    assert {f"room-{n}" for n in range(25)} <= {c["slug"] for c in items}


def test_the_openapi_document_describes_the_circle_list(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert "get" in paths[f"{API}/circles"]
