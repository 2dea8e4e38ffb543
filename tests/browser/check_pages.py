"""Loads every dashboard page in headless Chromium (Debian's, driven by Playwright) and fails on
any console error, page error, failed request or HTTP error response. Saves a full-page
screenshot of each page into the output folder.

Usage: check_pages.py BASE_URL OUT_DIR [--chromium /usr/bin/chromium] [--width 1280]
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
    ("team", "/teams/support"),
    ("team-hostile", "/teams/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
]


def check(base, out, chromium, width):
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        print(f"browser: Chromium {browser.version}")
        for viewport in ([width, 900], [820, 1000]):
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            for name, path in PAGES:
                seen = []
                page.on("console", lambda m, seen=seen: seen.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
                page.on("pageerror", lambda e, seen=seen: seen.append(f"page error: {e}"))
                page.on("requestfailed", lambda r, seen=seen: seen.append(f"request failed: {r.url} {r.failure}"))
                page.on("response", lambda r, seen=seen: seen.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
                response = page.goto(base + path, wait_until="networkidle")
                if response is None or response.status != 200:
                    seen.append(f"HTTP {response.status if response else 'no response'} for {path}")
                if not page.locator("h1").first.is_visible():
                    seen.append("no visible h1")
                if page.evaluate("() => document.querySelectorAll('script:not([src])').length") != 0:
                    seen.append("inline script on the page")
                if page.evaluate("() => window.__pwned === true"):
                    seen.append("injected script ran")
                shot = out / f"{name}-{viewport[0]}.png"
                page.screenshot(path=str(shot), full_page=True)
                page.remove_listener("console", page.listeners("console")[0]) if hasattr(page, "listeners") else None
                status = "ok" if not seen else "FAIL"
                print(f"{status:4} {viewport[0]:5}px {path} -> {shot.name}")
                problems += [f"{path} @{viewport[0]}px: {s}" for s in seen]
                page.close()
                page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.close()
        browser.close()
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    problems = check(args.base.rstrip("/"), out, args.chromium, args.width)
    pages = len(PAGES) * 2
    if problems:
        print("\n".join(problems))
    print(f"{pages - len({p.split(' @')[0] + p.split('px')[0] for p in problems})} passed, {len({p.split(' @')[0] + p.split('px')[0] for p in problems})} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
