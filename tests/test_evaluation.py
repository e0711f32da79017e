from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from provenance.cli import app
from provenance.evaluation import Truth, corpus_metrics, pan_metrics, read_pan
from provenance.settings import Settings
from provenance.types import DerivationClass, Score, SourceShare

from .seed_truth import EXPECTED_CLASS, FIRST_SOURCE

runner = CliRunner()
COPIED = (
    "The committee met on Tuesday to discuss the new budget for the coming year. Members argued for hours about "
    "road repairs, school funding and the cost of the new library. In the end they agreed to postpone the vote "
    "until the next session in March."
)
SUSPICIOUS_HEAD = "A local bakery won a national prize for its sourdough bread this week and plans to open a second shop. "
SUSPICIOUS_TAIL = " Fishing boats stayed in the harbour because of the storm, and the ferry to the island was cancelled."
SOURCE_HEAD = "Gardeners are warned that frost may return at the weekend and should cover tender plants. "


def _score(doc_id: str, klass: DerivationClass, share: float, source: str | None = None) -> Score:
    sources = (SourceShare(source, share),) if source else ()
    return Score(id=doc_id, originality=1 - share, klass=klass, sources=sources, derived_share=share)


def test_corpus_metrics_count_what_went_wrong():
    truth = {
        "a": Truth("a", "wire-copy", "wire:AP", 1.0),
        "b": Truth("b", "wholly-derived", "a", 1.0),
        "c": Truth("c", "original", None, 0.0),
        "d": Truth("d", "original", None, 0.0),
    }
    scores = [
        _score("a", DerivationClass.WIRE_COPY, 1.0, "wire:AP"),
        _score("b", DerivationClass.WHOLLY_DERIVED, 0.9, "d"),  # right class, wrong source
        _score("c", DerivationClass.ORIGINAL, 0.0),
        _score("d", DerivationClass.PARTIALLY_DERIVED, 0.4, "a"),  # an independent article called derived
        _score("x", DerivationClass.ORIGINAL, 0.0),  # no truth: ignored
    ]
    m = corpus_metrics(scores, truth)
    assert m["documents"] == 4 and m["accuracy"] == 0.75
    assert m["attribution"] == 0.5 and m["independent_as_derived"] == 0.5
    assert math.isclose(m["share_mae"], (0.1 + 0.4) / 4)
    assert m["f1"]["partially-derived"] == 0.0 and m["f1"]["wire-copy"] == 1.0


def _pan_folder(tmp_path, drift: int = 0):
    """One PAN pair: COPIED inserted verbatim into a suspicious text; the truth offset may be off by `drift`."""
    (tmp_path / "susp").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "truth-02-no-obfuscation").mkdir()
    susp = SUSPICIOUS_HEAD + COPIED + SUSPICIOUS_TAIL
    src = SOURCE_HEAD + COPIED
    (tmp_path / "susp" / "s.txt").write_text(susp)
    (tmp_path / "src" / "r.txt").write_text(src)
    (tmp_path / "truth-02-no-obfuscation" / "s-r.xml").write_text(
        f'<document reference="s.txt"><feature name="plagiarism" obfuscation="none" source_length="{len(COPIED)}" '
        f'source_offset="{len(SOURCE_HEAD)}" source_reference="r.txt" this_length="{len(COPIED)}" '
        f'this_offset="{len(SUSPICIOUS_HEAD) + drift}" type="artificial" /></document>'
    )
    return tmp_path, len(SUSPICIOUS_HEAD)


@pytest.mark.parametrize("drift", [0, 7])
def test_a_verbatim_pan_case_is_found_exactly_even_when_its_offset_drifted(tmp_path, drift):
    root, start = _pan_folder(tmp_path, drift)
    pairs, dropped = read_pan(root)
    assert dropped == 0 and pairs[0].cases[0][0] == (start, start + len(COPIED))
    m = pan_metrics(pairs, Settings(min_passage_tokens=5))
    assert m["precision"] > 0.97 and m["recall"] > 0.97 and m["granularity"] == 1.0


def test_eval_derivation_on_a_labelled_seed_corpus(seeds, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with (corpus / "documents.jsonl").open("w") as docs, (corpus / "truth.jsonl").open("w") as truth:
        for path in sorted(seeds.glob("*.txt")):
            docs.write(json.dumps({"id": path.name, "text": path.read_text()}) + "\n")
            source = FIRST_SOURCE.get(path.name)
            truth.write(json.dumps({"id": path.name, "klass": EXPECTED_CLASS[path.name], "source": source,
                                    "share": 0.0 if source is None else 0.5}) + "\n")
    (tmp_path / "pan").mkdir()
    pan, _ = _pan_folder(tmp_path / "pan")
    result = runner.invoke(app, ["eval", "derivation", str(corpus), str(pan)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report[str(corpus)]["accuracy"] == 1.0 and report[str(corpus)]["attribution"] == 1.0
    assert report[str(pan)]["cases"] == 1 and report[str(pan)]["recall"] > 0.9


def test_eval_derivation_refuses_an_unlabelled_folder(tmp_path):
    result = runner.invoke(app, ["eval", "derivation", str(tmp_path)])
    assert result.exit_code == 2 and "neither a labelled corpus" in result.output
