"""The HTML reference in a real browser: headless Chromium opens it from disk."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator.ir.build import build
from generator.spec.load import load
from tests.conftest import GENERATED, SPEC
from tests.test_docs import HOSTILE, hostile_docs

PAGE = GENERATED / "docs" / "index.html"
API = build(load(SPEC))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
FLAGS += ["--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM, "Chromium is missing: `make test` installs Debian's chromium package"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def open_page(browser: Browser, path: Path, width: int = 1280) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(path.as_uri())
    return page, fetched


def test_every_endpoint_table_and_example_is_shown(browser: Browser, tmp_path: Path) -> None:
    page, fetched = open_page(browser, PAGE)
    assert fetched == [PAGE.as_uri()], "the page fetched something besides itself"
    for operation in API.operations:
        section = page.locator(f"section[id='{operation.slug}']")
        text = section.inner_text()
        assert operation.path in text and operation.description in text
        assert section.locator("table.responses tbody tr").count() == len(operation.responses)
        assert (
            section.locator("code.example-curl")
            .inner_text()
            .startswith(f"curl -X {operation.method}")
        )
        python = section.locator("code.example-python").inner_text()
        assert f"client.{operation.tag}.{operation.name}(" in python
        assert section.locator("code.example-curl").is_visible()
    shot = tmp_path / "reference.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    page.close()


def test_navigation_links_land_on_their_sections(browser: Browser) -> None:
    page, _ = open_page(browser, PAGE)
    links = page.locator("nav a[href^='#']")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {f"#{op.slug}" for op in API.operations} <= set(targets)
    for target in targets:
        assert target is not None
        page.locator(f"nav a[href='{target}']").click()
        assert page.evaluate("location.hash") == target
        top = page.evaluate(f"document.getElementById({target[1:]!r}).getBoundingClientRect().top")
        assert 0 <= top < 100, (target, top)
    page.close()


def test_readable_in_a_narrow_window(browser: Browser, tmp_path: Path) -> None:
    page, _ = open_page(browser, PAGE, width=420)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert page.locator("nav").bounding_box()["width"] <= 420  # type: ignore[index]
    page.screenshot(path=str(tmp_path / "narrow.png"))
    page.close()


def test_hostile_text_stays_text_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    hostile_docs(tmp_path)
    page, fetched = open_page(browser, tmp_path / "out" / "docs" / "index.html")
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("script").count() == 0
    assert HOSTILE in page.locator("section.endpoint").inner_text()
    assert all(url.startswith("file://") for url in fetched)
    page.close()
