"""path_for: the indexed route lookup gives exactly Starlette's addresses."""

import pytest
from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import NoMatchFound

from app.main import create_app
from app.web import path_for

SAMPLE = {"integer": 7, "string": "calm-river", "path": "kindred.css"}


def _request(app: FastAPI) -> Request:
    return Request({"type": "http", "app": app, "method": "GET", "path": "/", "headers": []})


def test_every_named_route_gets_the_address_starlette_would_give(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app()
    request = _request(app)
    checked = 0
    for route in app.router.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for entry in contexts() if contexts is not None else (route,):
            name = getattr(entry, "name", None)
            convertors = getattr(entry, "param_convertors", {})
            if not name:
                continue
            params = {
                key: SAMPLE[type(c).__name__.removesuffix("Convertor").lower()]
                for key, c in convertors.items()
            }
            if name == "static":
                params = {"path": "kindred.css"}
            assert str(path_for(request, name, **params)) == str(app.url_path_for(name, **params))
            checked += 1
    assert checked > 60
    with pytest.raises(NoMatchFound):
        path_for(request, "no.such.route")
    with pytest.raises(NoMatchFound):
        path_for(request, "stories.detail", wrong_param=1)
