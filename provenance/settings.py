"""One frozen Settings object, passed explicitly to every stage that needs a knob.

Defaults come from the calibration in benchmarks/calibrate.py (see README); a TOML
file may override them, and an unknown key is an error rather than a silent typo.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError

_MAY_BE_ZERO = frozenset({"candidates_per_document", "index_candidates", "min_passage_tokens", "edge_trigrams",
                          "exact_horizon"})


@dataclass(frozen=True)
class Settings:
    # boilerplate
    content_threshold: float = 0.5
    max_document_chars: int = 5_000_000
    template_max_words: int = 12  # a line this long or longer is never template by repetition alone
    template_min_documents: int = 5
    template_share: float = 0.5  # share of a group's documents holding a short line that makes it template
    window_documents: int = 5_000  # scored together; a longer stream goes window by window against the earlier ones
    # signatures and candidates
    num_perm: int = 128
    shingle_size: int = 2
    candidate_containment: float = 0.15
    candidate_verify: float = 0.1  # exact shingle containment an LSH candidate pair must reach to be aligned
    reference_containment: float = 0.05  # ... either, for a pair with a --reference or archive document
    candidates_per_document: int = 10  # a pair is aligned when among one side's this many closest or likeliest sources (0: all)
    index_threshold: float = 0.05  # Jaccard the persistent index's LSH bands are tuned to catch (see index.Bands)
    index_candidates: int = 3  # documents an index (or an earlier window) adds per document, most similar first (0: all)
    exact_horizon: int = 5_000  # the last documents added to an index (earlier windows, --index) compared exactly; LSH before (0: LSH only)
    # alignment
    verbatim_similarity: float = 0.8  # share of a sentence's word trigrams in its source that makes it copied
    verbatim_run: int = 15  # shared trigrams that make a sentence surely reused in part (a copy starting mid-sentence)
    rewrite_probability: float = 0.2  # reuse probability (models/reuse.json) of a rewrite in its source's order
    anchor_probability: float = 0.95  # ... of one that stands alone, out of order, or shares its source sentence
    min_passage_tokens: int = 15
    semantic: bool = False  # embedding similarity for rewrites (needs the semantic extra)
    semantic_similarity: float = 0.6  # the cosine that counts as rewrite_probability (a cosine of 1 as sure)
    fragment_containment: float = 0.7  # share of a split-off sentence's words found in its neighbour's source
    edge_trigrams: int = 3  # shared word trigrams that make a passage's neighbour a partly copied sentence
    # scores
    wholly_derived_share: float = 0.7
    partially_derived_share: float = 0.2
    wire_copy_share: float = 0.9

    def __post_init__(self) -> None:
        """A wrong type or a value out of range is refused here, not found out (or not) deep in a run:
        `window_documents = 0` once scored nothing and said nothing."""
        for f in fields(self):
            value, default = getattr(self, f.name), getattr(Settings, f.name)
            if isinstance(default, bool) or isinstance(value, bool):
                ok = type(value) is type(default)
            elif isinstance(default, int):
                ok = isinstance(value, int) and value >= (0 if f.name in _MAY_BE_ZERO else 1)
            else:
                ok = isinstance(value, (int, float)) and 0.0 <= value <= 1.0
            if not ok:
                wanted = ("true or false" if isinstance(default, bool) else "a number from 0 to 1"
                          if isinstance(default, float) else f"a whole number of at least {int(f.name not in _MAY_BE_ZERO)}")
                raise SettingsError(f"{f.name} = {value!r}: must be {wanted}")

    def with_overrides(self, **overrides: Any) -> Settings:
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **overrides)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file's `[provenance]` table (or top level), then overrides."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"cannot read settings {path}: {exc}") from exc
        values.update(data.get("provenance", data))
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings().with_overrides(**values)
