"""Pre-filtering a corpus: keep the documents original enough, reject the rest with the reason."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from .report.records import record
from .types import DerivationClass, Result


@dataclass(frozen=True)
class Policy:
    """What `filter` keeps: documents at least `min_originality` original whose class is not in `drop`."""

    min_originality: float = 0.0
    drop: frozenset[DerivationClass] = frozenset()

    @classmethod
    def parse(cls, min_originality: float, drop: Collection[str]) -> Policy:
        """`drop`: class names (wire-copy, wholly-derived, ...); an unknown name is a ValueError naming the valid ones."""
        names = {name.strip() for name in drop if name.strip()}
        valid = [c.value for c in DerivationClass]
        if unknown := sorted(names - set(valid)):
            raise ValueError(f"unknown class {', '.join(unknown)} (valid: {', '.join(valid)})")
        return cls(min_originality, frozenset(map(DerivationClass, names)))

    def rejection(self, result: Result) -> str | None:
        """Why the document is rejected, or None to keep it."""
        score = result.score
        if score.error:
            return f"error: {score.error}"
        if score.klass in self.drop:
            return f"class {score.klass.value}"
        if score.originality is not None and score.originality < self.min_originality:
            return f"originality {score.originality:.2f} < {self.min_originality:.2f}"
        return None


def kept_record(result: Result) -> dict[str, Any]:
    """The score record with the cleaned text and what is known of the document."""
    out = record(result)
    if result.cleaned is not None:
        document = result.cleaned.document
        out.update(text=result.cleaned.text, url=document.url, site=document.site, title=document.title, date=document.date)
    return out
