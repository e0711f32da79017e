"""A small labelled derivation set built from BBC News by copying, cutting and editing articles.

Each derived document knows its true source, derived share and class, so thresholds can be
calibrated on it instead of on the seeds. Sources go in as references (a wire feed); the
negatives are other articles of the same category: same topic, no shared text.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
from dataclasses import dataclass
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from provenance import Document


@dataclass(frozen=True)
class Labelled:
    document: Document
    source: str | None
    share: float
    klass: str


def load_bbc(data_dir: Path) -> list[dict[str, str]]:
    """BBC articles without the duplicates the corpus README warns about, near-duplicates included."""
    lsh = MinHashLSH(threshold=0.5, num_perm=64)
    rows = []
    with gzip.open(data_dir / "bbc-news-2225" / "bbc_news_2225.csv.gz", "rt", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            toks = row["text"].lower().split()
            minhash = MinHash(num_perm=64)
            minhash.update_batch(" ".join(toks[i:i + 5]).encode() for i in range(max(len(toks) - 4, 1)))
            if not lsh.query(minhash):
                lsh.insert(row["id"], minhash)
                rows.append(row)
    return rows


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def sentences(paras: list[str]) -> list[str]:
    return [s for p in paras for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", p) if s]


def up_to_words(paras: list[str], limit: int) -> list[str]:
    """Leading paragraphs of about `limit` words (at least one)."""
    out, total = [], 0
    for p in paras:
        if out and total + len(p.split()) > limit:
            break
        out.append(p)
        total += len(p.split())
    return out


def edit(paragraph: str, rate: float, vocabulary: list[str], rng: random.Random) -> str:
    """Word-level rewriting: drop, replace and swap words at `rate`; keep numbers and names."""
    out = []
    for word in paragraph.split():
        keep = word[:1].isupper() or any(c.isdigit() for c in word)
        roll = rng.random()
        if keep or roll >= rate:
            out.append(word)
        elif roll < rate / 3:
            continue
        elif roll < 2 * rate / 3:
            out.append(rng.choice(vocabulary))
        else:
            out.insert(max(len(out) - 1, 0), word)
    return " ".join(out)


def build(data_dir: Path, sources: int = 150, seed: int = 0) -> tuple[list[Document], list[Labelled]]:
    rng = random.Random(seed)
    rows = load_bbc(data_dir)
    rng.shuffle(rows)
    vocabulary = sorted({w.lower() for r in rows[:200] for w in r["text"].split() if w.isalpha() and len(w) > 3})
    by_category: dict[str, list[dict[str, str]]] = {}
    for row in rows[sources:]:
        by_category.setdefault(row["category"], []).append(row)
    references, labelled = [], []
    for i, row in enumerate(rows[:sources]):
        src_id = f"wire/{i:04d}"
        paras = paragraphs(row["text"])
        references.append(Document(id=src_id, location="bbc", text=row["title"] + "\n" + "\n".join(paras)))
        other = by_category[row["category"]].pop()
        filler = paragraphs(by_category[row["category"]].pop()["text"])
        share = rng.uniform(0.15, 0.85)
        half = up_to_words(sentences(paras), int(sum(len(p.split()) for p in paras) * share))
        taken = sum(len(p.split()) for p in half)
        padding = up_to_words(sentences(filler), int(taken * (1 - share) / share))
        own = paragraphs(other["text"])
        variants = {
            "verbatim": ([row["title"], *paras], "wholly-derived"),
            "light-edit": ([edit(p, 0.15, vocabulary, rng) for p in paras], "wholly-derived"),
            "heavy-edit": ([edit(p, 0.35, vocabulary, rng) for p in paras], "wholly-derived"),
            "paraphrase": ([edit(p, 0.5, vocabulary, rng) for p in paras[::-1]][::-1], "wholly-derived"),
            "cut": ([edit(p, 0.1, vocabulary, rng) for p in half] + padding, "partially-derived"),
            "independent": ([other["title"], *own], "original"),
        }
        for name, (body, klass) in variants.items():
            derived_words = sum(len(p.split()) for p in (body if klass == "wholly-derived" else half)) if klass != "original" else 0
            share = derived_words / max(sum(len(p.split()) for p in body), 1)
            doc = Document(id=f"{name}/{i:04d}", location="bbc", text="\n".join(body))
            labelled.append(Labelled(doc, None if klass == "original" else src_id, round(share, 4), klass))
    return references, labelled
