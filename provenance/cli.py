"""The command line: parse, call the library, render, pick an exit code (0 ok, 1 some inputs failed, 2 usage)."""

from __future__ import annotations

import functools
import gc
import inspect
import json
import logging
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, get_type_hints

import typer

from . import __version__
from .engine import Engine, engine
from .errors import InputError, ProvenanceError
from .settings import Settings, load_settings
from .types import Analysis, Result
from .visible import dumps, visible

# The commands import the rest of the library when they run, and each only what it needs: `--help` and a
# mistyped option should cost no import of numba, datasketch or scipy (tests/test_package.py checks it).
if TYPE_CHECKING:
    from rich.progress import TaskID

    from .boilerplate import BoilerplateModel

app = typer.Typer(help="Where each news article's text came from, and how much of it is its own.",
                  no_args_is_help=True, add_completion=False)
model_app = typer.Typer(help="Train and evaluate the boilerplate model.", no_args_is_help=True)
app.add_typer(model_app, name="model")
eval_app = typer.Typer(help="Measure verdicts against labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

DEFAULT_DATA = Path("../shared/data")
_DEPENDENCIES = ("datasketch", "scikit-learn", "numpy", "numba", "lxml", "beautifulsoup4", "typer", "rich",
                 "fastwarc", "dask", "redis", "lazy_loader")


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class CleanFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


Paths = Annotated[list[str], typer.Argument(help="Files or folders (.txt, .html, .htm, .jsonl, .jsonl.gz, .warc, .warc.gz); "
                                                 "'-' reads JSONL from stdin.")]
Config = Annotated[Optional[Path], typer.Option("--config", help="TOML file of settings (see provenance/settings.py).")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")]
# "\\[": a bracket rich prints, not the start of markup
Semantic = Annotated[bool, typer.Option("--semantic", help="Also match rewrites by sentence embeddings "
                                                            "(needs: pip install 'provenance\\[semantic]').")]
ModelDir = Annotated[Optional[Path], typer.Option("--model", help="Folder with boilerplate.json and boilerplate.trees.json (default: packaged).")]


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
    verbose: Verbose = False,
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


def _fail(message: str) -> typer.Exit:
    say(message)
    return typer.Exit(2)


References = Annotated[list[Path], typer.Option("--reference", help="Folder of source documents (a wire feed); repeatable.")]


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


Jobs = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")]
EngineOption = Annotated[EngineName, typer.Option("--engine", help="local: this machine; dask: a Dask cluster.")]
Scheduler = Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address "
                                                                     "(default: a LocalCluster on loopback).")]
IndexOption = Annotated[Optional[str], typer.Option("--index", help="Also check against this signature index "
                                                                    "(a file from `index build`, or redis\\[s]://HOST:PORT/DB).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="A line a window on stderr.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]

# Options several commands share, each defined once: `shared` adds the ones a command names to its signature
_SHARED: dict[str, tuple[object, object]] = {
    "reference": (References, []), "config": (Config, None), "model": (ModelDir, None), "semantic": (Semantic, False),
    "jobs": (Jobs, None), "engine_name": (EngineOption, EngineName.local), "scheduler": (Scheduler, None),
    "index": (IndexOption, None), "verbose": (Verbose, False), "quiet": (Quiet, False),
}
SCORING = ("reference", "config", "model", "semantic", "jobs", "engine_name", "scheduler", "index", "verbose", "quiet")
FILLING = ("config", "model", "jobs", "engine_name", "scheduler", "verbose", "quiet")


@dataclass(frozen=True)
class Options:
    """The shared options as given (see `shared`), and what they make."""

    reference: list[Path] = field(default_factory=list)
    config: Path | None = None
    model: Path | None = None
    semantic: bool = False
    jobs: int | None = None
    engine_name: EngineName = EngineName.local
    scheduler: str | None = None
    index: str | None = None
    verbose: bool = False
    quiet: bool = False

    def settings(self) -> Settings:
        return load_settings(self.config, semantic=self.semantic or None)

    def boilerplate(self) -> BoilerplateModel:
        from .boilerplate import BoilerplateModel, load_model

        return BoilerplateModel.load(self.model) if self.model else load_model()

    @contextmanager
    def engine(self) -> Iterator[Engine]:
        """The engine asked for, reporting to a progress bar on a terminal (stderr) unless --quiet."""
        with engine(self.engine_name.value, self.jobs, self.scheduler) as running, _progress(self.quiet) as bar:
            running.progress = bar
            yield running


def shared(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Gives a command the shared options `names`, handed to it together as `options`."""
    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        hints = get_type_hints(command, include_extras=True)
        own = [p.replace(annotation=hints[p.name]) for p in inspect.signature(command).parameters.values()
               if p.name != "options"]
        added = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=_SHARED[n][0], default=_SHARED[n][1])
                 for n in names]

        @functools.wraps(command)
        def run(**kwargs: object) -> None:
            options = Options(**{n: kwargs.pop(n) for n in names})
            if options.verbose:
                logging.getLogger("provenance").setLevel(logging.INFO)
            command(**kwargs, options=options)

        run.__signature__ = inspect.Signature([*own, *added])  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in [*own, *added]}
        del run.__wrapped__  # typer reads the signature above, not the command's own
        return run
    return decorate


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on stderr, a row per stage (documents cleaned, pairs aligned …) with its rate and
    time left; nothing when stderr is not a terminal (a log, a pipe) or with --quiet."""
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:>8}"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        rows: dict[str, TaskID] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in rows:
                rows[label] = bar.add_task(label, total=total, rate="")
            task = next(t for t in bar.tasks if t.id == rows[label])
            if done < task.completed:  # the next window
                bar.reset(task.id, total=total)
            bar.update(task.id, completed=done, total=total)
            bar.update(task.id, rate=f"{task.speed:,.0f}/s" if task.speed else "")
        yield update


def _say_failed(results: Iterable[Result]) -> Iterator[Result]:
    """The results as they come, each failed one said on stderr as it passes."""
    for result in results:
        if result.score.error:
            say(f"{result.score.id}: {result.score.error}")
        yield result


@contextmanager
def _scored(paths: list[str], options: Options) -> Iterator[Iterator[Analysis]]:
    """`api.analyses` with the options' settings, model, engine and index; a setting, model, index or engine
    that cannot be had is a usage error (exit 2)."""
    from .api import analyses
    from .index import open_index

    try:
        settings, model = options.settings(), options.boilerplate()
        archive = open_index(options.index, settings) if options.index else None
        try:
            with options.engine() as running:
                yield analyses(paths, options.reference, settings, model, running, archive)
        finally:
            if archive is not None:
                archive.close()
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc


def _exit(failed: int) -> typer.Exit:
    return typer.Exit(1 if failed else 0)


@app.command()
@shared(*SCORING)
def score(
    paths: Paths,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f", help="Output format.")] = ScoreFormat.table,
    output: Output = None,
    *,
    options: Options,
) -> None:
    """Score every document: originality, class (wire-copy … original) and sources."""
    from .api import flattened
    from .report import write

    failed = 0
    with _scored(paths, options) as windows:
        def counted() -> Iterator[Result]:
            nonlocal failed
            for result in _say_failed(flattened(windows)):
                failed += result.score.error is not None
                yield Result(result.score, None)
        write(counted(), fmt.value, output)
    raise _exit(failed)


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    json = "json"


@app.command()
@shared(*SCORING)
def report(
    paths: Paths,
    output: Annotated[Path, typer.Option("--output", "-o", help="The report file to write (atomically).")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="html: self-contained page; md: Markdown; json: the full data model.")] = ReportFormat.html,
    *,
    options: Options,
) -> None:
    """Write a derivation report: summary table, derivation graph, each document's passages beside its sources."""
    from .report import write_report

    with _scored(paths, options) as analyses:
        windows = list(analyses)
    whole = Analysis([r for w in windows for r in _say_failed(w.results)],
                     {i: c for w in windows for i, c in w.references.items()},
                     windows[0].settings if windows else Settings())
    write_report(whole, fmt.value, output)
    raise _exit(sum(r.score.error is not None for r in whole.results))


@app.command()
@shared("config", "model", "jobs", "verbose", "quiet")
def clean(
    paths: Paths,
    fmt: Annotated[CleanFormat, typer.Option("--format", "-f", help="text: content only; jsonl: every block with its label.")] = CleanFormat.text,
    output: Output = None,
    *,
    options: Options,
) -> None:
    """Print the article text without site junk (or, with --format jsonl, why each block was kept or dropped)."""
    from . import api
    from .output import atomic_output

    try:
        settings, model = options.settings(), options.boilerplate()
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc
    failed = 0
    with options.engine() as running, atomic_output(output) as stream:
        for n, item in enumerate(api.clean(paths, settings, model, running)):
            if isinstance(item, InputError):
                say(str(item))
                failed += 1
            elif fmt is CleanFormat.jsonl:
                for b in item.blocks:
                    stream.write(dumps({
                        "id": item.document.id, "index": b.block.index, "content": b.is_content,
                        "probability": round(b.content_probability, 4), "kind": b.block.kind.value,
                        "text": b.block.text, "trimmed": b.block.trimmed or None,
                    }) + "\n")
            else:
                if n or len(paths) > 1 or Path(paths[0]).is_dir():
                    stream.write(f"==> {visible(item.document.id)} <==\n")
                stream.write(item.text + "\n")
    raise _exit(failed)


@app.command("filter")
@shared("reference", "config", "model", "jobs", "engine_name", "scheduler", "index", "verbose", "quiet")
def filter_(
    paths: Paths,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL of the kept documents: cleaned text and scores.")],
    min_originality: Annotated[float, typer.Option("--min-originality", min=0.0, max=1.0,
                                                  help="Keep documents at least this original.")] = 0.0,
    drop: Annotated[str, typer.Option("--drop", help="Classes to reject, comma-separated "
                                                     "(wire-copy,wholly-derived,partially-derived,original).")] = "",
    rejects: Annotated[Optional[Path], typer.Option("--rejects", help="JSONL of the rejected documents with the reason.")] = None,
    *,
    options: Options,
) -> None:
    """Keep the documents that pass --min-originality and --drop, in input order; the others go to --rejects."""
    from .api import flattened
    from .filtering import Policy, kept_record
    from .output import atomic_output
    from .report.records import record

    try:
        policy = Policy.parse(min_originality, drop.split(","))
    except ValueError as exc:
        raise _fail(f"--drop: {exc}") from exc
    failed = 0
    with (_scored(paths, options) as windows, atomic_output(output) as kept,
          atomic_output(rejects) if rejects else nullcontext(None) as rejected):
        for result in _say_failed(flattened(windows)):
            failed += result.score.error is not None
            reason = policy.rejection(result)
            if reason is None:
                kept.write(dumps(kept_record(result), sort_keys=True) + "\n")
            elif rejected is not None:
                rejected.write(dumps({**record(result), "reason": reason}, sort_keys=True) + "\n")
    raise _exit(failed)


@model_app.command("train")
def model_train(
    data: Annotated[Path, typer.Option(help="The labelled datasets (../shared/data).")] = DEFAULT_DATA,
    out: Annotated[Path, typer.Option(help="Where to write boilerplate.json and boilerplate.trees.json.")] = Path("models"),
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
    metrics = evaluate_dataset(Options(model=model).boilerplate(), data, dataset, held_out_only=not all_pages)
    typer.echo(json.dumps(metrics, indent=2, sort_keys=True))


@eval_app.command("derivation")
@shared("config", "model", "semantic", "jobs", "verbose", "quiet")
def eval_derivation(
    paths: Annotated[list[Path], typer.Argument(help="Labelled corpora: a folder with documents.jsonl + truth.jsonl "
                                                     "(benchmarks/derivation_corpus.py), or a PAN text-alignment folder.")],
    limit: Annotated[int | None, typer.Option(help="At most this many PAN pairs.")] = None,
    *,
    options: Options,
) -> None:
    """Class accuracy, macro F1, attribution and share error on a corpus; precision, recall, PlagDet on PAN pairs."""
    from .api import flattened
    from .evaluation import corpus_metrics, pan_metrics, read_pan, read_truth

    report = {}
    for path in paths:
        if (path / "truth.jsonl").is_file() and (path / "documents.jsonl").is_file():
            with _scored([str(path / "documents.jsonl")], options) as windows:
                scores = [r.score for r in flattened(windows)]
            report[str(path)] = corpus_metrics(scores, read_truth(path / "truth.jsonl"))
        elif any(path.glob("truth-*/*.xml")):
            settings = options.settings()
            pairs, dropped = read_pan(path, limit)
            report[str(path)] = {**pan_metrics(pairs, settings), "cases": sum(len(p.cases) for p in pairs),
                                 "cases_dropped": dropped}
        else:
            raise _fail(f"{path} is neither a labelled corpus (documents.jsonl + truth.jsonl) nor a PAN folder")
    typer.echo(json.dumps(report, indent=2, sort_keys=True))


index_app = typer.Typer(help="A persistent signature index: check new articles against an archive.", no_args_is_help=True)
app.add_typer(index_app, name="index")
IndexLocation = Annotated[str, typer.Argument(help="A SQLite index file, or redis\\[s]://HOST:PORT/DB.")]


def _fill(location: str, paths: list[str], options: Options, flag: str) -> None:
    from .archive import add_documents
    from .index import open_index
    from .ingest import read

    try:
        settings = options.settings()
        index = open_index(location, settings, flag)
        try:
            with options.engine() as running:
                done = add_documents(index, read(paths, settings.max_document_chars), options.boilerplate(), settings,
                                     running)
            stats = index.stats()
        finally:
            index.close()
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc
    for error in done.errors:
        say(str(error))
    typer.echo(f"{done.added} documents added, {done.identical} already there, {len(done.errors)} failed; "
               f"{stats['documents']} in {stats['location']}", err=True)
    raise _exit(len(done.errors))


@index_app.command("build")
@shared(*FILLING)
def index_build(
    paths: Paths,
    output: Annotated[str, typer.Option("--output", "-o", help="The index to create (a file, or redis\\[s]://HOST:PORT/DB).")],
    *,
    options: Options,
) -> None:
    """Clean and sign every document into a new index (or finish one a kill interrupted)."""
    _fill(output, paths, options, "c")


@index_app.command("add")
@shared(*FILLING)
def index_add(location: IndexLocation, paths: Paths, *, options: Options) -> None:
    """Add documents to an index; ids already there with the same text are skipped, so re-running after a kill
    completes it; another text under a known id is refused."""
    _fill(location, paths, options, "w")


@index_app.command("query")
@shared("config", "model", "jobs", "verbose", "quiet")
def index_query(location: IndexLocation, paths: Paths, output: Output = None, *, options: Options) -> None:
    """For each document, the indexed documents LSH finds at `index_threshold` estimated Jaccard or more, with
    that similarity (JSONL)."""
    from . import api
    from .archive import look_alikes
    from .index import open_index
    from .output import atomic_output

    try:
        settings, model = options.settings(), options.boilerplate()
        index = open_index(location, settings)
    except ProvenanceError as exc:
        raise _fail(str(exc)) from exc
    failed = 0
    try:
        with options.engine() as running:
            cleaned = []
            for item in api.clean(paths, settings, model, running):
                if isinstance(item, InputError):
                    say(str(item))
                    failed += 1
                else:
                    cleaned.append(item)
        with atomic_output(output) as stream:
            for document, found in zip(cleaned, look_alikes(index, cleaned, settings)):
                stream.write(dumps({"id": document.document.id,
                                    "candidates": [{"id": i, "jaccard": round(j, 4)} for i, j in found]}) + "\n")
    finally:
        index.close()
    raise _exit(failed)


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
