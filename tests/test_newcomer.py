"""What a newcomer meets first: the README's example, progress on a terminal, options where they are typed."""

from __future__ import annotations

import json
import os
import pty
import random
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provenance.cli import app

from .conftest import ROOT
from .seed_truth import EXPECTED_CLASS

runner = CliRunner()
README = ROOT / "README.md"


def test_readme_is_short_and_starts_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200
    assert [line.split()[:2] for line in lines[3:5]] == [["make", "demo"], ["make", "test"]]


def test_the_readmes_library_example_runs_as_written(capsys, monkeypatch):
    [example] = re.findall(r"## Library\n\n```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    monkeypatch.chdir(ROOT)
    exec(compile(example, "README.md", "exec"), {})
    printed = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()}
    assert printed == EXPECTED_CLASS



def _table_rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("│ ").split("│")] for line in text.splitlines()
            if line.startswith("│ ")]


def test_the_readmes_demo_table_is_what_make_demo_prints(seeds):
    [shown] = re.findall(r"`make demo` prints:\n\n```\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    result = runner.invoke(app, ["score", str(seeds)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert _table_rows(result.stdout) == _table_rows(shown) and len(_table_rows(shown)) == 5


def test_the_readmes_jsonl_example_is_what_score_prints(seeds):
    [shown] = re.findall(r"`--format jsonl` gives one object per document:\n\n```json\n(.*?)\n```",
                         README.read_text(encoding="utf-8"), re.S)
    example = json.loads(shown)
    result = runner.invoke(app, ["score", str(seeds), "-f", "jsonl"])
    assert result.exit_code == 0
    assert {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}[example["id"]] == example


def test_verbose_works_after_the_subcommand_too(seeds):
    for command in (["-v", "score", str(seeds), "-f", "jsonl"], ["score", str(seeds), "-f", "jsonl", "-v"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0 and "window 1: 5 documents" in result.stderr


def _corpus(path: Path, documents: int) -> None:
    rng = random.Random(7)
    vocabulary = [f"word{n}" for n in range(3000)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            lines = [" ".join(rng.choices(vocabulary, k=20)).capitalize() + "." for _ in range(5)]
            out.write(json.dumps({"id": f"doc{i:05d}", "text": "\n".join(lines)}) + "\n")


def _on_a_terminal(command: list[str]) -> tuple[int, str]:
    """`command` with its stderr on a pseudo-terminal (stdout to a pipe, as `> file` would): exit code, what
    the terminal got."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, cwd=ROOT,
                               env={**os.environ, "COLUMNS": "120"})
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other side is closed: the command has ended
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(), seen.decode("utf-8", "replace")


@pytest.mark.parametrize("command", [["score", "-f", "jsonl"], ["report", "-o", "{tmp}/report.html"]])
def test_a_long_command_shows_progress_on_a_terminal_and_not_in_a_pipe(tmp_path, command):
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, 2000)
    args = [sys.executable, "-m", "provenance", command[0], str(corpus), "-j", "2",
            *(c.format(tmp=tmp_path) for c in command[1:])]
    code, terminal = _on_a_terminal(args)
    assert code == 0, terminal
    assert "cleaning documents" in terminal and "2000/2000" in terminal
    quiet_code, quiet = _on_a_terminal([*args, "--quiet"])
    assert quiet_code == 0 and "cleaning documents" not in quiet
    piped = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert piped.returncode == 0 and piped.stderr == ""


def test_a_missing_extra_is_one_line_with_its_install_hint(seeds, tmp_path, monkeypatch):
    for module in ("dask.distributed", "provenance.index.redis_store", "redis", "provenance.ingest.warc", "fastwarc"):
        monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    dask = runner.invoke(app, ["score", str(seeds), "--engine", "dask"])
    assert dask.exit_code == 2 and dask.stderr == "provenance: --engine dask needs Dask: pip install 'provenance[cluster]'\n"
    redis = runner.invoke(app, ["score", str(seeds), "--index", "redis://127.0.0.1:1/0"])
    assert redis.exit_code == 2 and "pip install 'provenance[cluster]'" in redis.stderr
    (tmp_path / "crawl.warc.gz").write_bytes(b"")
    warc = runner.invoke(app, ["score", str(tmp_path / "crawl.warc.gz"), "-f", "jsonl"])
    assert warc.exit_code == 1 and "pip install 'provenance[warc]'" in json.loads(warc.stdout)["error"]
