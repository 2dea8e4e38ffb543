"""Loads every dashboard page in headless Chromium (Debian's, driven by Playwright) at a laptop
width (1280 px) and a narrow one (820 px), and fails on any console error, uncaught page
error, failed request or HTTP error response, a page without a visible h1, or an inline
script. Saves a full-page screenshot of each into the output folder.

Usage: check_pages.py BASE_URL OUT_DIR [--chromium /usr/bin/chromium]
"""
import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = [
    ("overview", "/"),
    ("overview-24h", "/?range=24h"),
    ("overview-mtd", "/?range=mtd"),
    ("drift", "/drift?range=30d"),
    ("budgets", "/budgets"),
    ("providers", "/providers"),
    ("strategies", "/strategies?range=30d"),
    ("requests", "/requests"),
    ("requests-errors", "/requests?status=error"),
    ("team", "/teams/support?range=30d"),
    ("team-hostile", "/teams/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
]
WIDTHS = [(1280, 900), (820, 1000)]


def check_page(browser, base, path, viewport, shot):
    problems = []
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    response = page.goto(base + path, wait_until="networkidle")
    if response is None:
        problems.append("no response")
    if not page.locator("h1").first.is_visible():
        problems.append("no visible h1")
    if page.evaluate("() => document.querySelectorAll('script:not([src])').length") != 0:
        problems.append("inline script on the page")
    if page.evaluate("() => document.querySelectorAll('table th[scope]').length") == 0 and "/budgets" not in path:
        problems.append("no table headers with scope")
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = args.base.rstrip("/")
    failed, passed = [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        print(f"browser-tests: Chromium {browser.version}, screenshots in {out}")
        for viewport in WIDTHS:
            for name, path in PAGES:
                shot = out / f"{name}-{viewport[0]}.png"
                problems = check_page(browser, base, path, viewport, shot)
                print(f"{'ok' if not problems else 'FAIL':4} {viewport[0]:5}px {path}")
                for problem in problems:
                    print(f"       {problem}")
                if problems:
                    failed.append(path)
                else:
                    passed += 1
        browser.close()
    print(f"{passed} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
