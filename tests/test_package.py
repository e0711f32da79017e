"""The wheel carries its model: install it elsewhere and score the seeds from outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT


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


def test_every_public_name_resolves():
    import provenance

    expected = {"analyse", "score_corpus", "Settings", "Document", "read", "open_index", "__version__"}
    assert expected <= set(provenance.__all__)
    for name in provenance.__all__:
        assert getattr(provenance, name) is not None, name
    assert provenance.analyse.__module__ == "provenance.pipeline"


def test_help_does_not_import_the_model_stack():
    """`provenance --help` answers at once: scikit-learn, skops, numba and datasketch load when a command runs."""
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom provenance.cli import app\n"
            "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
            "print(sorted(m for m in ('sklearn', 'skops', 'numba', 'datasketch', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
