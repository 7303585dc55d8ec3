"""Debian's chromium driven by playwright, for the report's browser test and `make report`'s
screenshot.

Playwright drives the system's chromium (``executable_path``): its own browser download is
neither needed nor allowed. The switches keep the browser from reaching the network on its own
(updates, sync, field trials), so that a request the test sees comes from the page. Playwright's
``launch`` starts every browser with a fresh temporary profile, removed when it closes: no state
carries from one run to the next.

    python -m tests.e2e.browser screenshot data/report/index.html docs/report.png
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",  # root in a container has no user namespace for the sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = "no chromium on PATH: run `make browser` (Debian's chromium) to run the browser test"
VIEWPORT = {"width": 1100, "height": 900}


def chromium_path() -> str | None:
    """The system's chromium, or None."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless chromium (RuntimeError when there is none: callers that can skip check
    chromium_path() first)."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError(SKIP_REASON)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page_file: Path, image: Path) -> None:
    """A full-page PNG of an HTML file opened from disk."""
    with chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        image.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(image), full_page=True)
    _shrink(image)


def _shrink(image: Path) -> None:
    """Down to 256 colours: the screenshot is committed (README shows it), and a page of text and
    flat charts loses nothing visible."""
    from PIL import Image

    with Image.open(image) as shot:
        small = shot.convert("RGB").quantize(colors=256)
    small.save(image, optimize=True)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "screenshot":
        print("usage: python -m tests.e2e.browser screenshot PAGE.html IMAGE.png", file=sys.stderr)
        return 2
    screenshot(Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
