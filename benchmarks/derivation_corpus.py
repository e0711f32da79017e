"""A derivation test corpus: Reuters wire stories, what news sites make of them, and what they write alone.

    python benchmarks/derivation_corpus.py --data ../shared/data --documents 10000 --seed 0 --out corpus/

Writes `documents.jsonl` (what provenance reads: id, site, date, title, text) and `truth.jsonl`
(id, variant, class, source, share). Not a runtime dependency of provenance.

Sources are the 1,008 Reuters stories of isot-reuters-subset (wire copy, dateline kept). Each
story gives a bundle: the wire story itself, then site articles made of it:
  verbatim (site junk around it, dateline kept or stripped), reordered, retitled, cut (a share
  of its paragraphs plus the site's own text), merged (with a second story, lightly rewritten),
  rewritten (sentence level: synonyms, word order, splits, merges, dropped clauses), and
  rewritten-partial (a rewritten share plus own text);
and articles that owe it nothing: unrelated (another article) and same-topic (another politics
article given the story's names and numbers, so they share entities, not text).
"Own" and unrelated text is a half of a BBC article (exact and near duplicates dropped), each
half used once; when the halves run out, a web page from PAN's sources, then sentences drawn
from a word-bigram model of BBC English.
Shares are of content words (title and body, never site junk). Cut shares are drawn in
0.3–0.8 so no truth class sits on a class cut-off.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from provenance.text import sentence_spans, words

VARIANTS = ("wire", "verbatim", "reordered", "retitled", "cut", "merged", "rewritten", "rewritten-partial",
            "unrelated", "same-topic")
CLASSES = {"wire": "wire-copy", "verbatim": "wire-copy", "reordered": "wire-copy", "retitled": "wire-copy",
           "cut": "partially-derived", "merged": "wholly-derived", "rewritten": "wholly-derived",
           "rewritten-partial": "partially-derived", "unrelated": "original", "same-topic": "original"}

# News-register synonyms: the substitutions a rewriting desk or a paraphrasing tool makes.
SYNONYMS = {
    "said": ["stated", "told reporters", "noted"], "says": ["states", "notes"], "told": ["informed"],
    "asked": ["questioned"], "announced": ["unveiled", "declared"], "added": ["went on to say"],
    "urged": ["called on", "pressed"], "warned": ["cautioned"], "criticized": ["faulted", "attacked"],
    "expected": ["anticipated", "likely"], "plan": ["proposal"], "plans": ["proposals"], "bill": ["legislation"],
    "government": ["administration"], "officials": ["authorities"], "official": ["representative"],
    "lawmakers": ["legislators"], "president": ["leader"], "meeting": ["talks"], "talks": ["negotiations"],
    "agreement": ["deal", "accord"], "deal": ["agreement"], "country": ["nation"], "big": ["large"],
    "large": ["big", "sizeable"], "major": ["key"], "important": ["significant"], "help": ["assist"],
    "helped": ["assisted"], "need": ["require"], "needs": ["requires"], "want": ["wish"], "wants": ["seeks"],
    "began": ["started"], "start": ["begin"], "started": ["began"], "ended": ["finished"], "end": ["close"],
    "before": ["prior to"], "after": ["following"], "about": ["around", "roughly"], "nearly": ["almost"],
    "also": ["additionally"], "however": ["but"], "but": ["yet"], "because": ["since"], "many": ["numerous"],
    "people": ["individuals"], "show": ["demonstrate"], "showed": ["revealed"], "shows": ["indicates"],
    "increase": ["rise"], "rise": ["increase"], "cut": ["reduce"], "cuts": ["reductions"], "rules": ["regulations"],
    "law": ["statute"], "support": ["backing"], "supported": ["backed"], "oppose": ["resist"],
    "opposed": ["resisted"], "called": ["described"], "week": ["seven days"], "month": ["four weeks"],
    "statement": ["release"], "decision": ["ruling"], "issue": ["matter"], "issues": ["matters"],
    "tried": ["attempted"], "try": ["attempt"], "trying": ["attempting"], "seek": ["pursue"], "made": ["did"],
    "make": ["produce"], "leaders": ["chiefs"], "leader": ["chief"], "party": ["faction"], "vote": ["ballot"],
    "voted": ["cast ballots"], "election": ["poll"], "campaign": ["drive"], "spokesman": ["spokesperson"],
    "spokeswoman": ["spokesperson"], "reported": ["disclosed"], "according": ["per"], "move": ["step"],
    "effort": ["attempt"], "efforts": ["attempts"], "fight": ["battle"], "allow": ["permit"], "allowed": ["permitted"],
    "would": ["will"], "could": ["might"], "quickly": ["rapidly"], "recent": ["latest"], "recently": ["lately"],
    "previous": ["prior"], "first": ["initial"], "final": ["last"], "key": ["crucial"], "despite": ["in spite of"],
    "among": ["amid"], "including": ["such as"], "several": ["a number of"], "enough": ["sufficient"],
}
JUNK = {
    "nav": ["Home | World | Politics | Business | Tech | Opinion", "Menu Search Sign in"],
    "related": ["Related", "Recommendation", "Ranking"],
    "badges": ["veryGood! ({n})", "{n} comments", "Share this article", "Listen to this article 0:00 / {m}:{s:02d}"],
    "follow": ["Follow {site} for the latest news and analysis", "Subscribe to our daily newsletter"],
    "footer": ["© 2017 {site}. All rights reserved.", "Privacy Policy Terms of Use Contact Us"],
}


@dataclass(frozen=True)
class Truth:
    id: str
    variant: str
    klass: str
    source: str | None
    share: float


@dataclass
class Story:
    id: str
    title: str
    paragraphs: list[str]
    date: date


def disjoint(rows: list[dict[str, str]], gram: int = 8, tolerance: float = 0.02) -> list[dict[str, str]]:
    """Rows that share at most `tolerance` of their runs of `gram` words with earlier kept rows.

    Both corpora hold updates and follow-ups that reprint paragraphs; left in, they
    would be true reuse labelled as independent.
    """
    seen: set[int] = set()
    kept = []
    for row in rows:
        toks = words(row["text"])
        grams = {hash(tuple(toks[i:i + gram])) for i in range(max(len(toks) - gram + 1, 1))}
        if len(grams & seen) <= tolerance * len(grams):
            kept.append(row)
            seen |= grams
    return kept


def load_bbc(data_dir: Path) -> list[dict[str, str]]:
    with gzip.open(data_dir / "bbc-news-2225" / "bbc_news_2225.csv.gz", "rt", encoding="utf-8") as stream:
        return disjoint(list(csv.DictReader(stream)))


def load_web(data_dir: Path) -> list[dict]:
    """PAN's source documents (web pages, no news) as own text once the BBC halves are used up."""
    rows = [{"text": path.read_text(encoding="utf-8", errors="replace")}
            for path in sorted((data_dir / "pan-text-alignment-sample" / "src").glob("*.txt"))]
    out = []
    for row in disjoint(rows):
        sents = split_sentences(" ".join(row["text"].split()))
        paras = [" ".join(sents[j:j + 3]) for j in range(0, min(len(sents), 15), 3)]
        if len(paras) >= 2:
            out.append({"title": " ".join(paras[0].split()[:8]), "paragraphs": paras})
    return out


def load_reuters(data_dir: Path) -> list[Story]:
    """Reuters rows as stories; the CSV holds each text on one line, so paragraphs are 2–3 sentence runs."""
    stories = []
    path = data_dir / "isot-reuters-subset" / "true_reuters_subset.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for i, row in enumerate(disjoint(list(csv.DictReader(stream)))):
            sents = split_sentences(row["text"].strip())
            if len(sents) < 4:
                continue
            paras = [" ".join(sents[j:j + 3]) for j in range(0, len(sents), 3)]
            stories.append(Story(f"reuters/{i:04d}", row["title"].strip(), paras, _parse_date(row["date"])))
    return stories


def _parse_date(raw: str) -> date:
    from datetime import datetime
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d-%b-%y"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return date(2017, 12, 1)


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def n_words(parts: list[str]) -> int:
    return sum(len(words(p)) for p in parts)


def up_to_words(paragraphs: list[str], limit: int) -> list[str]:
    """Leading paragraphs of at most `limit` words (at least one)."""
    out: list[str] = []
    for p in paragraphs:
        if out and n_words([*out, p]) > limit:
            break
        out.append(p)
    return out


class Rewriter:
    """Sentence-level rewriting: synonyms, fronted clauses, splits, merges, dropped clauses."""

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.rng, self.rate = rng, rate

    def sentence(self, text: str) -> list[str]:
        rng, rate = self.rng, self.rate
        out = [rng.choice(SYNONYMS[w.lower()]) if w.lower() in SYNONYMS and rng.random() < rate * 1.5 else w
               for w in text.split()]
        text = " ".join(out)
        clauses = text.split(", ")
        if len(clauses) > 2 and rng.random() < rate:  # drop a middle clause
            del clauses[rng.randrange(1, len(clauses) - 1)]
        if len(clauses) > 1 and rng.random() < rate:  # front the last clause
            last = clauses.pop().rstrip(".")
            clauses.insert(0, last[:1].upper() + last[1:])
            clauses[1] = clauses[1][:1].lower() + clauses[1][1:] if not clauses[1][:2].isupper() else clauses[1]
            text = ", ".join(clauses).rstrip(".") + "."
        else:
            text = ", ".join(clauses)
        if " and " in text and rng.random() < rate:  # split at a coordinating "and"
            head, _, tail = text.partition(" and ")
            if len(head.split()) > 4 and len(tail.split()) > 4:
                return [head.rstrip(",") + ".", tail[:1].upper() + tail[1:]]
        return [text]

    def paragraph(self, text: str) -> str:
        sents = [s for sent in split_sentences(text) for s in self.sentence(sent)]
        if len(sents) > 1 and self.rng.random() < self.rate:  # merge two sentences
            i = self.rng.randrange(len(sents) - 1)
            sents[i:i + 2] = [sents[i].rstrip(".") + ", while " + sents[i + 1][:1].lower() + sents[i + 1][1:]]
        return " ".join(sents)


class OwnText:
    """Text no other document holds: BBC halves once each, then web pages (PAN's sources), then
    sentences drawn word by word from a bigram model of BBC English (too short-sighted to copy)."""

    def __init__(self, rows: list[dict[str, str]], web: list[dict[str, str]], rng: random.Random) -> None:
        self.rng = rng
        self.halves: list[tuple[str, list[str]]] = []
        self.politics: list[tuple[str, list[str]]] = []
        chain: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            paras = [p.strip() for p in re.split(r"\n\s*\n", row["text"]) if p.strip()]
            mid = max(len(paras) // 2, 1)
            pool = self.politics if row["category"] == "politics" else self.halves
            second_title = " ".join(paras[mid].split()[:8]) if mid < len(paras) else ""
            pool.extend([(row["title"], paras[:mid]), (second_title, paras[mid:])])
            for sent in split_sentences(" ".join(paras)):
                toks = ["<s>", *sent.split(), "</s>"]
                for a, b in zip(toks, toks[1:]):
                    chain[a].append(b)
        self.chain = dict(chain)
        rng.shuffle(self.halves)
        rng.shuffle(self.politics)
        self.halves = [(r["title"], r["paragraphs"]) for r in web] + self.halves  # popped from the end: BBC first

    def article(self, politics: bool = False) -> tuple[str, list[str]]:
        pool = self.politics if politics and self.politics else self.halves
        while pool:
            title, paras = pool.pop()
            if paras:
                return title, paras
        return self._sentence()[:60], [" ".join(self._sentence() for _ in range(3)) for _ in range(4)]

    def _sentence(self) -> str:
        word, out = "<s>", []
        while len(out) < 30:
            word = self.rng.choice(self.chain[word])
            if word == "</s>":
                break
            out.append(word)
        return " ".join(out)

    def words_of(self, count: int) -> list[str]:
        """Own paragraphs of about `count` words."""
        out: list[str] = []
        while n_words(out) < count:
            out.extend(self.article()[1])
        trimmed, total = [], 0
        for p in out:
            if trimmed and total >= count:
                break
            trimmed.append(p)
            total += len(words(p))
        return trimmed


def same_topic(story: Story, own: OwnText, rng: random.Random) -> tuple[str, list[str]]:
    """Another politics article wearing the story's names and numbers: shared entities, no shared text."""
    names = re.findall(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b", " ".join(story.paragraphs)) or ["Washington"]
    numbers = re.findall(r"\b\d[\d,.]*\b", " ".join(story.paragraphs)) or ["2017"]
    title, paras = own.article(politics=True)

    def swap(text: str) -> str:
        text = re.sub(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b", lambda _: rng.choice(names), text)
        return re.sub(r"\b\d[\d,.]*\d\b|\b\d\b", lambda _: rng.choice(numbers), text)

    return swap(title), [swap(p) for p in paras]


def with_junk(site: str, title: str, body: list[str], rng: random.Random) -> str:
    """A scraped page that lost its markup: navigation, badges, related lists and footer around the article."""
    fill = {"site": site, "n": rng.randrange(2, 40), "m": rng.randrange(1, 9), "s": rng.randrange(60)}
    related = [f"{rng.choice(JUNK['related'])}"] + [f"{site} story {rng.randrange(10**6)}" for _ in range(3)]
    lines = [*JUNK["nav"], f"Home > {rng.choice(['Politics', 'World', 'US'])}", title,
             f"{rng.randrange(2, 9)} min read" + (body[0] if body else ""), *body[1:],
             rng.choice(JUNK["badges"]).format(**fill), rng.choice(JUNK["follow"]).format(**fill),
             *related, *(f.format(**fill) for f in JUNK["footer"])]
    return "\n".join(lines)


def strip_dateline(paragraph: str) -> str:
    return re.sub(r"^(?:[A-Z][A-Za-z .,/'-]*)?\(Reuters\)\s*-\s*", "", paragraph)


class Generator:
    def __init__(self, data_dir: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        self.stories = load_reuters(data_dir)
        self.rng.shuffle(self.stories)
        self.own = OwnText(load_bbc(data_dir), load_web(data_dir), self.rng)
        self.rewrite_light = Rewriter(self.rng, 0.25)
        self.rewrite_heavy = Rewriter(self.rng, 0.6)
        self.sites = [f"site{i:02d}.example" for i in range(40)]

    def documents(self, count: int) -> Iterator[tuple[dict, Truth]]:
        """`count` documents, bundle by bundle; past the last story, new bundles reuse stories with new edits."""
        made = 0
        bundle = 0
        while made < count:
            story = self.stories[bundle % len(self.stories)]
            other = self.stories[(bundle + 1) % len(self.stories)]
            for record, truth in self.bundle(story, other, bundle):
                if made >= count:
                    return
                yield record, truth
                made += 1
            bundle += 1

    def bundle(self, story: Story, other: Story, n: int) -> Iterator[tuple[dict, Truth]]:
        rng = self.rng
        tag = f"{n:07d}"
        wire_id, title, paras = story.id, story.title, story.paragraphs
        if n < len(self.stories):  # past the first round, more sites reprint stories already on the wire
            yield self._record(wire_id, "reuters.com", story.date, title, "\n".join([title, *paras])), \
                Truth(wire_id, "wire", "wire-copy", "wire:Reuters", 1.0)
        later = story.date + timedelta(days=rng.randrange(0, 2))
        for variant in VARIANTS[1:]:
            site = rng.choice(self.sites)
            doc_id = f"{site.split('.')[0]}/{variant}/{tag}"
            body_title, body, derived = self._variant(variant, story, title, paras, other)
            share = round(n_words(derived) / max(n_words([body_title, *body]), 1), 4)
            source = {"wire": None, "unrelated": None, "same-topic": None}.get(variant, wire_id)
            text = with_junk(site, body_title, body, rng)
            yield self._record(doc_id, site, later, body_title, text), \
                Truth(doc_id, variant, CLASSES[variant], source, share if source else 0.0)

    def _variant(self, variant: str, story: Story, title: str, paras: list[str], other: Story) -> tuple[str, list[str], list[str]]:
        """(title, body, the parts of title and body taken from a source) of one site article."""
        rng, own = self.rng, self.own
        if variant == "verbatim":
            body = paras if rng.random() < 0.5 else [strip_dateline(paras[0]), *paras[1:]]
            return title, body, [title, *body]
        if variant == "reordered":
            body = paras[:1] + rng.sample(paras[1:], len(paras) - 1)
            return title, body, [title, *body]
        if variant == "retitled":
            return own.article()[0], paras, paras
        if variant in ("cut", "rewritten-partial"):
            share = rng.uniform(0.3, 0.8)
            taken = paras[: max(1, round(len(paras) * share))]
            if variant == "rewritten-partial":
                taken = [self.rewrite_light.paragraph(p) for p in taken]
            taken = [strip_dateline(taken[0]), *taken[1:]]
            mine = own.words_of(int(n_words(taken) * (1 - share) / share))
            return own.article()[0], [*taken, *mine], taken
        if variant == "merged":
            first = [self.rewrite_heavy.paragraph(p) for p in paras]
            second = [self.rewrite_heavy.paragraph(p) for p in up_to_words(other.paragraphs, n_words(first) // 3)]
            body = [strip_dateline(first[0]), first[1], strip_dateline(second[0]), *second[1:], *first[2:]]
            return title, body, [title, *body]
        if variant == "rewritten":
            body = [self.rewrite_heavy.paragraph(p) for p in paras]
            new_title = self.rewrite_heavy.paragraph(title)
            body = [strip_dateline(body[0]), *body[1:]]
            return new_title, body, [new_title, *body]
        if variant == "unrelated":
            own_title, body = own.article()
            return own_title, body, []
        if variant == "same-topic":
            own_title, body = same_topic(story, own, rng)
            return own_title, body, []
        raise ValueError(variant)

    @staticmethod
    def _record(doc_id: str, site: str, day: date, title: str, text: str) -> dict:
        return {"id": doc_id, "site": site, "date": day.isoformat(), "title": title, "text": text}


def write(data_dir: Path, out: Path, documents: int, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    generator = Generator(data_dir, seed)
    with (out / "documents.jsonl").open("w", encoding="utf-8") as docs, (out / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for record, label in generator.documents(documents):
            docs.write(json.dumps(record, ensure_ascii=False) + "\n")
            truth.write(json.dumps(asdict(label)) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("corpus"))
    args = parser.parse_args()
    write(args.data, args.out, args.documents, args.seed)


if __name__ == "__main__":
    main()
