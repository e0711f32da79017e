"""The command line: parse, call the library, render, pick an exit code (0 ok, 1 some inputs failed, 2 usage)."""

from __future__ import annotations

import gc
import json
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import __version__
from .engine import Engine, engine
from .errors import InputError, ProvenanceError
from .settings import Settings, load_settings
from .types import Cleaned, Document
from .visible import dumps, visible

# The commands import the rest of the library when they run: scikit-learn and skops alone take 4-5 s
# to import, which `--help` and a mistyped option should not cost (tests/test_package.py checks it).
if TYPE_CHECKING:
    from .boilerplate import BoilerplateModel
    from .pipeline import Analysis, Result

app = typer.Typer(help="Where each news article's text came from, and how much of it is its own.",
                  no_args_is_help=True, add_completion=False)
model_app = typer.Typer(help="Train and evaluate the boilerplate model.", no_args_is_help=True)
app.add_typer(model_app, name="model")
eval_app = typer.Typer(help="Measure verdicts against labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

DEFAULT_DATA = Path("../shared/data")
_DEPENDENCIES = ("datasketch", "scikit-learn", "skops", "numpy", "numba", "lxml", "beautifulsoup4", "typer", "rich",
                 "fastwarc", "dask", "redis", "lazy_loader")


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class CleanFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


Paths = Annotated[list[str], typer.Argument(help="Files or folders (.txt, .html, .jsonl); '-' reads JSONL from stdin.")]
Config = Annotated[Optional[Path], typer.Option("--config", help="TOML file of settings (see provenance/settings.py).")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")]
# "\\[": a bracket rich prints, not the start of markup
Semantic = Annotated[bool, typer.Option("--semantic", help="Also match rewrites by sentence embeddings "
                                                            "(needs: pip install 'provenance\\[semantic]').")]
ModelDir = Annotated[Optional[Path], typer.Option("--model", help="Folder with boilerplate.json/.skops (default: packaged).")]


def _version(value: bool) -> None:
    if value:
        versions = []
        for name in _DEPENDENCIES:
            try:
                versions.append(f"{name} {metadata.version(name)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{name} missing")
        typer.echo(f"provenance {__version__} (python {sys.version.split()[0]}; {', '.join(versions)})")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Versions, then exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Progress on stderr (one line a window).")] = False,
) -> None:
    log = logging.getLogger("provenance")
    if not any(isinstance(h, _Echo) for h in log.handlers):
        log.addHandler(_Echo())
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("bs4").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, _terminated)
    # a full collection walks every object, and a window holds a million long-lived ones (documents,
    # sentences, alignments): considering one after every 100 middle-generation collections instead of
    # 10 took a late window's full collections from 18 (5.5 s of collecting) to 2 (2.3 s). A young
    # collection every 20,000 new objects, not 700 (forked workers inherit it): a window makes hundreds
    # of thousands that live as long as it does, each collected again and again as it aged. On the
    # first six windows of the 1M corpus this process then spent 2.5–3.2 s collecting, not 5.1–7.1 s
    _, second, _ = gc.get_threshold()
    gc.set_threshold(20_000, second, 100)


class _Echo(logging.Handler):
    """provenance's own log lines on stderr, as the CLI prints errors; other libraries' logging is left as it is."""

    def emit(self, record: logging.LogRecord) -> None:
        say(record.getMessage())


def say(message: str) -> None:
    """One line on stderr, its hidden characters shown (see visible.py): ids and paths come from input."""
    typer.echo(f"provenance: {visible(message)}", err=True)


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM (a scheduler stopping the job) unwinds like Ctrl-C, so no temporary file or window index is left."""
    raise SystemExit(128 + signum)


def _model(path: Path | None) -> BoilerplateModel:
    from .boilerplate import BoilerplateModel, load_model

    return BoilerplateModel.load(path) if path else load_model()


def _fail(message: str) -> typer.Exit:
    say(message)
    return typer.Exit(2)


References = Annotated[list[Path], typer.Option("--reference", help="Folder of source documents (a wire feed); repeatable.")]


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


@dataclass(frozen=True)
class Run:
    """Where the stages run; every choice gives the same output."""

    jobs: int | None = None
    engine: EngineName = EngineName.local
    scheduler: str | None = None

    def open(self) -> Engine:
        return engine(self.engine.value, self.jobs, self.scheduler)


Jobs = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")]
EngineOption = Annotated[EngineName, typer.Option("--engine", help="local: this machine; dask: a Dask cluster.")]
Scheduler = Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address "
                                                                     "(default: a LocalCluster on loopback).")]


IndexOption = Annotated[Optional[str], typer.Option("--index", help="Also check against this signature index "
                                                                    "(a file from `index build`, or redis://HOST:PORT/DB).")]


@dataclass
class _Scoring:
    """The windows of one scoring run (windows.py) as they come; each failed document is said on
    stderr as it passes, and counted for the exit code."""

    analyses: Iterator[Analysis]
    settings: Settings
    failed: int = 0

    def windows(self) -> Iterator[Analysis]:
        for analysis in self.analyses:
            for score in (r.score for r in analysis.results if r.score.error):
                say(f"{score.id}: {score.error}")
                self.failed += 1
            yield analysis

    def results(self) -> Iterator[Result]:
        """One result at a time; a window's results are let go of before the next window is scored."""
        for analysis in self.windows():
            results = analysis.results[::-1]
            analysis.results.clear()
            while results:
                yield results.pop()

    def whole(self) -> Analysis:
        """Every window as one analysis, for a report that shows them all at once."""
        from .pipeline import Analysis

        windows = list(self.windows())
        return Analysis([r for w in windows for r in w.results],
                        {i: c for w in windows for i, c in w.references.items()}, self.settings)

    def exit(self) -> typer.Exit:
        return typer.Exit(1 if self.failed else 0)


@contextmanager
def _scoring(
    paths: list[str], reference: list[Path], config: Path | None, model: Path | None, semantic: bool = False,
    run: Run = Run(), index: str | None = None,
) -> Iterator[_Scoring]:
    from .index import open_index
    from .ingest import UniqueIds, read
    from .windows import analyse_windows

    try:
        settings = load_settings(config, semantic=semantic or None)
        ids = UniqueIds()
        items = read(paths, settings.max_document_chars, ids)
        references = read([str(r) for r in reference], settings.max_document_chars, ids)
        archive = open_index(index, settings) if index else None
        try:
            with run.open() as engine_:
                yield _Scoring(analyse_windows(items, settings, references, _model(model), engine_, archive), settings)
        finally:
            if archive is not None:
                archive.close()
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def score(
    paths: Paths,
    reference: References = [],
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f", help="Output format.")] = ScoreFormat.table,
    output: Output = None,
    config: Config = None,
    model: ModelDir = None,
    semantic: Semantic = False,
    jobs: Jobs = None,
    engine_name: EngineOption = EngineName.local,
    scheduler: Scheduler = None,
    index: IndexOption = None,
) -> None:
    """Score every document: originality, class (wire-copy … original) and sources."""
    from .pipeline import Result
    from .report import write

    with _scoring(paths, reference, config, model, semantic, Run(jobs, engine_name, scheduler), index) as scoring:
        write((Result(r.score, None) for r in scoring.results()), fmt.value, output)
    raise scoring.exit()


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    json = "json"


@app.command()
def report(
    paths: Paths,
    output: Annotated[Path, typer.Option("--output", "-o", help="The report file to write (atomically).")],
    reference: References = [],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="html: self-contained page; md: Markdown; json: the full data model.")] = ReportFormat.html,
    config: Config = None,
    model: ModelDir = None,
    semantic: Semantic = False,
    jobs: Jobs = None,
    engine_name: EngineOption = EngineName.local,
    scheduler: Scheduler = None,
    index: IndexOption = None,
) -> None:
    """Write a derivation report: summary table, derivation graph, each document's passages beside its sources."""
    from .report import write_report

    with _scoring(paths, reference, config, model, semantic, Run(jobs, engine_name, scheduler), index) as scoring:
        write_report(scoring.whole(), fmt.value, output)
    raise scoring.exit()


def _clean_each(
    items: list[Document | InputError], model: BoilerplateModel, settings: Settings
) -> tuple[list[Cleaned], int]:
    """The documents cleaned, in input order, and how many inputs failed (each said on stderr)."""
    from .cleaning import clean_batch

    failed = [item for item in items if isinstance(item, InputError)]
    for error in failed:
        say(str(error))
    return clean_batch([d for d in items if not isinstance(d, InputError)], model, settings), len(failed)


@app.command()
def clean(
    paths: Paths,
    fmt: Annotated[CleanFormat, typer.Option("--format", "-f", help="text: content only; jsonl: every block with its label.")] = CleanFormat.text,
    output: Output = None,
    config: Config = None,
    model: ModelDir = None,
) -> None:
    """Print the article text without site junk (or, with --format jsonl, why each block was kept or dropped)."""
    from .ingest import read
    from .report import atomic_output

    try:
        settings = load_settings(config)
        boilerplate = _model(model)
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc
    items = list(read(paths, settings.max_document_chars))
    cleaned_documents, failed = _clean_each(items, boilerplate, settings)
    with atomic_output(output) as stream:
        for cleaned in cleaned_documents:
            if fmt is CleanFormat.jsonl:
                for b in cleaned.blocks:
                    stream.write(dumps({
                        "id": cleaned.document.id, "index": b.block.index, "content": b.is_content,
                        "probability": round(b.content_probability, 4), "kind": b.block.kind.value,
                        "text": b.block.text, "trimmed": b.block.trimmed or None,
                    }) + "\n")
            else:
                if len(items) > 1:
                    stream.write(f"==> {visible(cleaned.document.id)} <==\n")
                stream.write(cleaned.text + "\n")
    raise typer.Exit(1 if failed else 0)


@app.command("filter")
def filter_(
    paths: Paths,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL of the kept documents: cleaned text and scores.")],
    min_originality: Annotated[float, typer.Option("--min-originality", min=0.0, max=1.0,
                                                  help="Keep documents at least this original.")] = 0.0,
    drop: Annotated[str, typer.Option("--drop", help="Classes to reject, comma-separated "
                                                     "(wire-copy,wholly-derived,partially-derived,original).")] = "",
    rejects: Annotated[Optional[Path], typer.Option("--rejects", help="JSONL of the rejected documents with the reason.")] = None,
    reference: References = [],
    config: Config = None,
    model: ModelDir = None,
    jobs: Jobs = None,
    engine_name: EngineOption = EngineName.local,
    scheduler: Scheduler = None,
    index: IndexOption = None,
) -> None:
    """Keep the documents that pass --min-originality and --drop, in input order; the others go to --rejects."""
    from .filtering import Policy, kept_record
    from .report import atomic_output
    from .report.records import record

    try:
        policy = Policy.parse(min_originality, drop.split(","))
    except ValueError as exc:
        raise _fail(f"--drop: {exc}") from exc
    with (_scoring(paths, reference, config, model, False, Run(jobs, engine_name, scheduler), index) as scoring,
          atomic_output(output) as kept, atomic_output(rejects) if rejects else nullcontext(None) as rejected):
        for result in scoring.results():
            reason = policy.rejection(result)
            if reason is None:
                kept.write(dumps(kept_record(result), sort_keys=True) + "\n")
            elif rejected is not None:
                rejected.write(dumps({**record(result), "reason": reason}, sort_keys=True) + "\n")
    raise scoring.exit()


@model_app.command("train")
def model_train(
    data: Annotated[Path, typer.Option(help="The labelled datasets (../shared/data).")] = DEFAULT_DATA,
    out: Annotated[Path, typer.Option(help="Where to write boilerplate.skops/.json.")] = Path("models"),
) -> None:
    """Train the boilerplate model from the labelled datasets (reproducible: fixed seeds, site split)."""
    from .training import train

    if not data.is_dir():
        raise _fail(f"no labelled data at {data}")
    meta = train(data, out)
    typer.echo(json.dumps(meta["metrics"], indent=2, sort_keys=True))


@model_app.command("eval")
def model_eval(
    dataset: Annotated[str, typer.Argument(help="A dataset folder name under --data, e.g. scrapinghub-aeb.")],
    data: Annotated[Path, typer.Option(help="The labelled datasets (../shared/data).")] = DEFAULT_DATA,
    model: ModelDir = None,
    all_pages: Annotated[bool, typer.Option("--all-pages", help="Every page, not only held-out sites.")] = False,
) -> None:
    """Word-level precision, recall and F1 per page, averaged, on the held-out sites of DATASET."""
    from .training import evaluate_dataset

    if not (data / dataset).is_dir():
        raise _fail(f"no dataset {dataset!r} under {data}")
    metrics = evaluate_dataset(_model(model), data, dataset, held_out_only=not all_pages)
    typer.echo(json.dumps(metrics, indent=2, sort_keys=True))


@eval_app.command("derivation")
def eval_derivation(
    paths: Annotated[list[Path], typer.Argument(help="Labelled corpora: a folder with documents.jsonl + truth.jsonl "
                                                     "(benchmarks/derivation_corpus.py), or a PAN text-alignment folder.")],
    config: Config = None,
    model: ModelDir = None,
    limit: Annotated[int | None, typer.Option(help="At most this many PAN pairs.")] = None,
    semantic: Semantic = False,
) -> None:
    """Class accuracy, macro F1, attribution and share error on a corpus; precision, recall, PlagDet on PAN pairs."""
    from .evaluation import corpus_metrics, pan_metrics, read_pan, read_truth

    report = {}
    for path in paths:
        if (path / "truth.jsonl").is_file() and (path / "documents.jsonl").is_file():
            with _scoring([str(path / "documents.jsonl")], [], config, model, semantic) as scoring:
                scores = [r.score for r in scoring.results()]
            report[str(path)] = corpus_metrics(scores, read_truth(path / "truth.jsonl"))
        elif any(path.glob("truth-*/*.xml")):
            settings = load_settings(config, semantic=semantic or None)
            pairs, dropped = read_pan(path, limit)
            report[str(path)] = {**pan_metrics(pairs, settings), "cases": sum(len(p.cases) for p in pairs),
                                 "cases_dropped": dropped}
        else:
            raise _fail(f"{path} is neither a labelled corpus (documents.jsonl + truth.jsonl) nor a PAN folder")
    typer.echo(json.dumps(report, indent=2, sort_keys=True))


index_app = typer.Typer(help="A persistent signature index: check new articles against an archive.", no_args_is_help=True)
app.add_typer(index_app, name="index")
IndexLocation = Annotated[str, typer.Argument(help="A SQLite index file, or redis://HOST:PORT/DB.")]


def _fill(location: str, paths: list[str], config: Path | None, model: Path | None, run: Run, create: bool) -> None:
    from .index import add_documents, open_index
    from .ingest import read

    try:
        settings = load_settings(config)
        index = open_index(location, settings, "c" if create else "w")
        try:
            with run.open() as engine_:
                done = add_documents(index, read(paths, settings.max_document_chars), _model(model), settings, engine_)
            stats = index.stats()
        finally:
            index.close()
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc
    for error in done.errors:
        say(str(error))
    typer.echo(f"{done.added} documents added, {done.identical} already there, {len(done.errors)} failed; "
               f"{stats['documents']} in {stats['location']}", err=True)
    raise typer.Exit(1 if done.errors else 0)


@index_app.command("build")
def index_build(
    paths: Paths,
    output: Annotated[str, typer.Option("--output", "-o", help="The index to create (a file, or redis://HOST:PORT/DB).")],
    config: Config = None,
    model: ModelDir = None,
    jobs: Jobs = None,
    engine_name: EngineOption = EngineName.local,
    scheduler: Scheduler = None,
) -> None:
    """Clean and sign every document into a new index (or finish one a kill interrupted)."""
    _fill(output, paths, config, model, Run(jobs, engine_name, scheduler), create=True)


@index_app.command("add")
def index_add(
    location: IndexLocation,
    paths: Paths,
    config: Config = None,
    model: ModelDir = None,
    jobs: Jobs = None,
    engine_name: EngineOption = EngineName.local,
    scheduler: Scheduler = None,
) -> None:
    """Add documents to an index; ids already there are skipped, so re-running after a kill completes it."""
    _fill(location, paths, config, model, Run(jobs, engine_name, scheduler), create=False)


@index_app.command("query")
def index_query(
    location: IndexLocation,
    paths: Paths,
    output: Output = None,
    config: Config = None,
    model: ModelDir = None,
) -> None:
    """For each document, the indexed documents LSH finds at `index_threshold` estimated Jaccard or more, with
    that similarity (JSONL)."""
    from .index import Fingerprints, jaccard, open_index
    from .ingest import read
    from .report import atomic_output
    from .signatures import stacked

    try:
        settings = load_settings(config)
        boilerplate = _model(model)
        index = open_index(location, settings)
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc
    try:
        cleaned, failed = _clean_each(list(read(paths, settings.max_document_chars)), boilerplate, settings)
        with atomic_output(output) as stream:
            minhashes = Fingerprints(settings)(cleaned)[0]
            for document, minhash, ids in zip(cleaned, minhashes, index.query(stacked(minhashes, settings.num_perm))):
                similarity = jaccard(minhash, index.hashvalues(ids))
                found = [{"id": i, "jaccard": round(j, 4)} for i, j in zip(ids, similarity)
                         if j >= settings.index_threshold]
                found.sort(key=lambda f: (-f["jaccard"], f["id"]))
                stream.write(dumps({"id": document.document.id, "candidates": found}) + "\n")
    finally:
        index.close()
    raise typer.Exit(1 if failed else 0)


@index_app.command("stats")
def index_stats(location: IndexLocation, config: Config = None) -> None:
    """How many documents an index holds, its LSH bands, and its size."""
    from .index import open_index

    try:
        index = open_index(location, load_settings(config))
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps(index.stats(), indent=2))
    index.close()
