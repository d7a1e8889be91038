"""Concurrent writes on the embedded SQLite database wait their turn instead of failing."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

from tests.factories import PASSWORD
from tests.live import serve


def test_many_members_signing_up_and_posting_at_once_all_succeed(tmp_path: Path) -> None:
    with serve(tmp_path) as server:

        def join_and_post(n: int) -> tuple[int, int]:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                joined = client.post("/api/v1/accounts", json={"password": PASSWORD})
                if joined.status_code != 201:
                    return joined.status_code, 0
                name = joined.json()["account"]["pseudonym"]
                token = client.post(
                    "/api/v1/sessions", json={"pseudonym": name, "password": PASSWORD}
                ).json()["token"]
                story = {"circle": "anxiety", "title": f"Story {n}", "body": "A calm day."}
                posted = client.post(
                    "/api/v1/stories", json=story, headers={"Authorization": f"Bearer {token}"}
                )
                return joined.status_code, posted.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(join_and_post, range(8)))
    assert results == [(201, 201)] * 8, results
