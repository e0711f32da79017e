"""Real headless Chromium over real reports: sorting, linked passages, no requests, no script from document text."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from typer.testing import CliRunner

from provenance.cli import app

from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]

from .seed_truth import BLOG, BRIEFING, PARTIAL, REWRITE, WIRE


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, installed here when missing and we may (as CI does, as root)."""
    if not os.path.exists(CHROMIUM) and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, capture_output=True)
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed and cannot be installed here")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    events = {"console": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: events["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: events["console"].append(f"pageerror: {e}"))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']")
    return page, events


def _wait_opened(page, doc_id, timeout=10.0):
    """Poll from Python: wait_for_function compiles its predicate with eval, which the report's CSP forbids."""
    deadline = time.monotonic() + timeout
    while page.evaluate("() => window.provenanceOpened") != doc_id:
        assert time.monotonic() < deadline, f"{doc_id} never opened"
        time.sleep(0.05)


def _report(tmp_path, source):
    out = tmp_path / "report.html"
    assert CliRunner().invoke(app, ["report", str(source), "-o", str(out)]).exit_code == 0
    return out


def test_seed_report_in_chromium(browser, seeds, tmp_path, update_golden):
    page, events = _open(browser, _report(tmp_path, seeds))
    ids = lambda: page.eval_on_selector_all("#documents tbody tr", "rows => rows.map(r => r.dataset.id)")
    page.click("#documents th[data-key=originality]")
    assert ids() == [WIRE, REWRITE, PARTIAL, BLOG, BRIEFING]
    page.click("#documents th[data-key=originality]")
    assert ids()[-1] == WIRE
    arrows = page.eval_on_selector_all("#graph line.edge", "ls => ls.map(l => l.dataset.source + '>' + l.dataset.target)")
    assert sorted(arrows) == [f"{WIRE}>{REWRITE}", f"{WIRE}>{PARTIAL}"]
    assert page.get_attribute(f"#graph circle[data-id='{WIRE}']", "fill") == "#c0392b"

    page.click(f"#documents tbody tr[data-id='{PARTIAL}']")
    _wait_opened(page, PARTIAL)
    marked = page.eval_on_selector_all("#doc-text span[data-index]", "ss => ss.map(s => s.className)")
    assert marked[:2] == ["s-original"] * 2 and marked[-1] == "s-original" and "s-verbatim" in marked
    page.click(f"#doc-tabs button:has-text('{WIRE}')")
    pane = page.locator("#right")
    before = pane.evaluate("p => p.scrollTop")
    page.locator("#left span.linked").last.click()
    assert page.locator("#right span.active").count() == 1
    assert pane.evaluate("p => p.scrollTop") > before
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    if update_golden:
        shutil.copy(shot, ROOT / "docs" / "report.png")
    assert events["console"] == [] and events["dialogs"] == []
    assert events["requests"] == [page.url]


def test_hostile_text_stays_inert(browser, tmp_path):
    page, events = _open(browser, _report(tmp_path, FIXTURES / "hostile"))
    for row in page.eval_on_selector_all("#documents tbody tr", "rows => rows.map(r => r.dataset.id)"):
        page.evaluate("id => window.provenanceReport.openDocument(id)", row)
        _wait_opened(page, row)
        page.eval_on_selector_all("#doc-text details", "ds => ds.forEach(d => d.open = true)")
    text = page.inner_text("#doc-text")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#doc-text img, #doc-text script, #doc-text a").count() == 0
    assert events["dialogs"] == [] and events["console"] == []
    assert events["requests"] == [page.url]
    page.evaluate("id => window.provenanceReport.openDocument(id)", "script.txt")
    _wait_opened(page, "script.txt")
    assert "<script>window.__pwned = 1; alert(1)</script>" in page.inner_text("#doc-text")
    page.evaluate("id => window.provenanceReport.openDocument(id)", "bidi.txt")
    _wait_opened(page, "bidi.txt")
    assert "\u27e8U+202E\u27e9" in page.inner_text("#doc-text") and "\u202e" not in page.inner_text("#doc-text")
    assert text
