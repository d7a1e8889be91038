"""The baseline: a bare FastAPI app answering with the story page's exact bytes from memory.

It has what every FastAPI app pays for (routing, a sync route run in the thread pool as
Kindred's are, the response) and nothing Kindred adds (database, templates, middleware), so
Kindred's story page divided by this is the share of the server's capacity the app keeps.
Run by uvicorn with the same workers and options as `kindred serve` (see serve.py).
"""

import os
from pathlib import Path

from fastapi import FastAPI, Response

BODY_FILE = "BENCH_BARE_BODY"  # environment variable: the file holding the bytes to serve


def create_app() -> FastAPI:
    body = Path(os.environ[BODY_FILE]).read_bytes()
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/stories/{story_id}")
    def story(story_id: int) -> Response:
        return Response(content=body, media_type="text/html; charset=utf-8")

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
