from collections.abc import Iterator
from typing import Any

import pytest

from tests.live import LiveServer, serve


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server of its own, so hostile content never reaches other suites' pages.

    Reports never hide a post here (the threshold is out of reach), so every reported story
    stays where the list pages show it.
    """
    workdir = tmp_path_factory.mktemp("hostile")
    with serve(
        workdir,
        KINDRED_REPORT_HIDE_THRESHOLD="1000000",
        KINDRED_MAX_BODY_BYTES=str(4 * 1024 * 1024),
    ) as server:
        yield server


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("api")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium_browser(browser: Any) -> Any:
    """The run's one Chromium (tests/conftest.py): a second sync Playwright cannot start."""
    return browser
