from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from provenance import load_model

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = ROOT.parent / "shared" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output.")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return DATA


@pytest.fixture(scope="session")
def model():
    return load_model()


def seed_page(text: str) -> str:
    """A seed as a simple news page: nav bar, the article, a related-links list and a footer."""
    lines = [line for line in text.splitlines() if line.strip()]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(lines[0])}</title>
<script>var tracker = "do not read me";</script></head>
<body>
<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article class="story"><h1>{html.escape(lines[0])}</h1>
{body}
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Stocks end mixed as traders weigh earnings reports</a></li>
<li><a href="/b">Storm brings heavy snow to the northeast</a></li>
<li><a href="/c">Five things to know before the markets open</a></li></ul></aside>
<footer class="site-footer"><p><a href="/about">About us</a> | <a href="/privacy">Privacy policy</a> |
<a href="/terms">Terms of use</a></p><p>© 2024 Example News Group. All rights reserved.</p></footer>
</body></html>
"""


@pytest.fixture(scope="session")
def seed_html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed-html")
    for path in sorted(SEEDS.glob("*.txt")):
        (out / f"{path.stem}.html").write_text(seed_page(path.read_text(encoding="utf-8")), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def seed_jsonl() -> bytes:
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) for p in sorted(SEEDS.glob("*.txt"))]
    return ("\n".join(lines) + "\n").encode()
