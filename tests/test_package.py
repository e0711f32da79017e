"""The wheel carries its model: install it elsewhere and score the seeds from outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT
from .seed_truth import PARTIAL


def test_installed_wheel_finds_its_model_and_scores_the_seeds(tmp_path, seeds):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = dist.glob("provenance-*.whl")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import provenance.boilerplate as b; print(b.default_model_dir())"],
                           cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert where == str(target / "provenance" / "models")
    out = subprocess.run([sys.executable, "-m", "provenance", "score", str(seeds), "-f", "jsonl"],
                         cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout
    assert [json.loads(line)["class"] for line in out.splitlines()][1] == "wire-copy"
    assert not (target / "cli.py").exists()


def test_every_public_name_resolves_and_says_what_it_is_for():
    import provenance

    expected = {"score", "analyses", "clean", "Settings", "Document", "read", "open_index", "__version__"}
    assert expected <= set(provenance.__all__)
    for name in set(provenance.__all__) - {"__version__"}:
        value = getattr(provenance, name)
        assert value is not None and (value.__doc__ or "").strip(), name
    assert provenance.score.__module__ == "provenance.api"
    assert (ROOT / "provenance" / "py.typed").is_file()


# The layers of docs/design.md, lowest first; a module may import only from its own layer's package or below.
LAYERS = [
    {"types", "text", "settings", "errors", "visible", "arrays", "threads", "output"},
    {"signatures", "kernels", "features", "trees"},
    {"index", "ingest", "engine", "blocks", "boilerplate", "reuse", "semantic"},
    {"cleaning", "align", "candidates", "attribution", "scoring", "labelling", "training", "reuse_training"},
    {"pipeline", "archive"},
    {"windows"},
    {"report", "filtering", "evaluation"},
    {"api"},
    {"cli", "__main__"},
]


def _imports() -> dict[str, set[str]]:
    """Each module of the package (a subpackage as one) and the package modules it imports, deferred
    imports and those for type checking only included: a cycle hidden in a function is still a cycle."""
    import ast

    graph: dict[str, set[str]] = {}
    for path in (ROOT / "provenance").rglob("*.py"):
        parts = path.relative_to(ROOT / "provenance").with_suffix("").parts
        module = parts[0]
        if module == "__init__":
            continue
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = list(package if path.name != "__init__.py" else parts[:-1])[: len(package) - node.level + 1]
                target = [*base, *(node.module or "").split(".")] if node.module else base
                names = [target[0]] if target and target[0] else [a.name for a in node.names]
                graph.setdefault(module, set()).update(n for n in names if n != module and n != "__version__")
    return graph


def test_layers_point_one_way_and_nothing_imports_in_a_cycle():
    layer = {m: n for n, members in enumerate(LAYERS) for m in members}
    graph = _imports()
    assert set(graph) <= set(layer), set(graph) - set(layer)
    upward = sorted((m, t) for m, targets in graph.items() for t in targets if layer[t] > layer[m])
    assert upward == []
    sideways = sorted((m, t) for m, targets in graph.items() for t in targets if layer[t] == layer[m])
    assert sideways == sorted(SIDEWAYS)


# imports within one layer: each one way, so none makes a cycle
SIDEWAYS = [("__main__", "cli"), ("attribution", "scoring"), ("cleaning", "attribution"), ("settings", "errors"), ("trees", "kernels"), ("filtering", "report"), ("pipeline", "archive"), ("reuse", "boilerplate"),
            ("reuse_training", "align"), ("reuse_training", "training"), ("training", "cleaning"), ("training", "labelling"), ("types", "settings")]


def _imported_by(args: list[str]) -> list[str]:
    """Which of the heavy modules `provenance ARGS` imports, run in a fresh interpreter."""
    code = ("import json, sys\nfrom typer.testing import CliRunner\nfrom provenance.cli import app\n"
            f"assert CliRunner().invoke(app, {args!r}).exit_code == 0\n"
            "print(json.dumps([m for m in ('sklearn', 'numba', 'datasketch', 'scipy') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_help_does_not_import_the_model_stack():
    """`provenance --help` answers at once: numba, scikit-learn and datasketch load when a command runs."""
    assert _imported_by(["--help"]) == []


def test_cleaning_one_page_imports_neither_scikit_learn_nor_numba():
    """A pipeline calling `provenance clean FILE` once a page pays the start-up every time (issue #30)."""
    assert _imported_by(["clean", str(ROOT / "seeds" / PARTIAL)]) == []
