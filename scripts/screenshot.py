"""Screenshot of a graph page in headless Chromium (Debian's package, driven by Playwright).

    python scripts/screenshot.py output/graph.html output/graph.png
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(page_path: str, png: str, width: int = 1400, height: int = 900) -> None:
    url = Path(page_path).resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        # poll from outside: the page's CSP forbids the eval wait_for_function would need
        for _ in range(600):
            if page.evaluate("() => window.kgSettled === true"):
                break
            page.wait_for_timeout(100)
        page.wait_for_timeout(500)
        page.screenshot(path=png)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
