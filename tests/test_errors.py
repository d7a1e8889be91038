import pytest
from fastapi import APIRouter

from app.config import get_settings

PROBLEM = "application/problem+json"


def test_malformed_json_is_a_clear_problem_not_a_crash(client):
    response = client.post(
        "/api/v1/accounts", content=b'{"password": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["title"] == "The request body is not valid JSON"


@pytest.mark.parametrize("path", ["/api/v1/accounts", "/signup"])
def test_a_body_over_the_size_limit_is_refused_with_413(client, path):
    too_big = b"x" * (get_settings().max_body_bytes + 1)
    response = client.post(path, content=too_big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response.headers["content-type"] == PROBLEM
    else:
        assert "text/html" in response.headers["content-type"]
        assert "more than we can accept" in response.text


def test_a_streamed_body_over_the_limit_is_refused_too(client):
    def chunks():
        for _ in range(40):
            yield b"y" * 10_000

    response = client.post(
        "/api/v1/accounts", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_api_paths_answer_problem_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert set(response.json()) >= {"type", "title", "status", "detail"}


@pytest.mark.parametrize(
    "path",
    ["/no-such-page", "/stories/999999999", "/stories/not-a-number", "/circles/no-such-circle"],
)
def test_unknown_pages_show_a_friendly_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "We couldn" in response.text
    assert "Traceback" not in response.text


def test_an_unexpected_error_shows_a_calm_page_with_no_internals(app, db):
    from fastapi.testclient import TestClient

    boom = APIRouter()

    @boom.get("/boom")
    def explode() -> None:
        raise RuntimeError("secret internal detail SELECT * FROM account")

    @boom.get("/api/v1/boom")
    def explode_api() -> None:
        raise RuntimeError("secret internal detail SELECT * FROM account")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        api = client.get("/api/v1/boom")
    assert page.status_code == 500 and "text/html" in page.headers["content-type"]
    assert "Something went wrong on our side" in page.text
    assert api.status_code == 500 and api.headers["content-type"] == PROBLEM
    for response in (page, api):
        assert "secret internal detail" not in response.text
        assert "Traceback" not in response.text


def test_html_forms_refuse_a_post_without_a_valid_csrf_token(client):
    client.get("/signup")
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post("/signup", data=data | {"password": "x" * 12})
        assert response.status_code == 403
        assert "text/html" in response.headers["content-type"]
        assert "forms expire" in response.text


@pytest.mark.parametrize("path", ["/", "/signup", "/api/v1/circles", "/healthz"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["cache-control"] == "no-store"


def test_the_stylesheet_is_served_by_the_app_with_cache_headers_and_the_same_policy(client):
    response = client.get("/static/kindred.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]
    assert response.headers["cache-control"] == "public, max-age=86400"
    assert response.headers["etag"]
    assert "default-src 'self'" in response.headers["content-security-policy"]
    again = client.get("/static/kindred.css", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_openapi_document_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in [
        "/api/v1/accounts",
        "/api/v1/sessions",
        "/api/v1/sessions/current",
        "/api/v1/me",
        "/api/v1/pseudonyms/suggestions",
        "/api/v1/accounts/recover",
        "/api/v1/me/export",
        "/api/v1/circles",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/stories/{story_id}/replies",
        "/api/v1/posts/{post_id}",
        "/api/v1/posts/{post_id}/reactions/{kind}",
    ]:
        assert path in spec["paths"], path
    assert "Problem" in spec["components"]["schemas"]
    assert not any(p.startswith(("/signup", "/stories/new")) for p in spec["paths"])


def test_a_locked_database_is_a_retryable_503_not_a_crash(app):
    import sqlite3

    from fastapi.testclient import TestClient
    from sqlalchemy.exc import OperationalError

    busy = APIRouter()

    @busy.post("/api/v1/busy")
    def locked() -> None:
        raise OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))

    @busy.post("/busy")
    def locked_page() -> None:
        raise OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))

    app.include_router(busy)
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/api/v1/busy", "/busy"):
            response = client.post(path)
            assert response.status_code == 503
            assert response.headers["retry-after"] == "1"
            assert "UPDATE x" not in response.text


def test_a_broken_help_resources_file_stops_start_up_with_a_clear_message(settings, tmp_path):
    from app.help import service as help_now
    from app.main import create_app

    broken = tmp_path / "help.toml"
    broken.write_text("[[resource]]\nname = 'No contact given'\n")
    settings.help_resources_file = broken
    help_now.resources.cache_clear()
    try:
        with pytest.raises(ValueError, match="help"):
            create_app()
    finally:
        help_now.resources.cache_clear()
