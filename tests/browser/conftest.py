from collections.abc import Iterator

import pytest

from tests.live import LiveServer, serve


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real `kindred` command, migrated and with demo data, on a free local port."""
    with serve(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(params=["js", "no-js"])
def page(request: pytest.FixtureRequest, browser):  # type: ignore[no-untyped-def]
    """A fresh browser context, once with JavaScript and once without: pages must work both ways."""
    context = browser.new_context(java_script_enabled=request.param == "js")
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    yield page
    context.close()
