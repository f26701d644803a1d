"""Benchmark: deckbuilder check and build against the unavoidable work, at 1k/10k/50k cards.

Not a test: it prints figures. Usage:

    .venv/bin/python bench/bench.py                 # 1000, 10000 and 50000 cards
    .venv/bin/python bench/bench.py --sizes 1000 --runs 5
    .venv/bin/python bench/bench.py --sizes 10000 --vocabulary 60   # every word from 60: the worst case

For each size it generates a synthetic deck (realistic field lengths, about
1% near-duplicate questions, 250 cards per file), then measures, each as a
separate process (so start-up, imports and peak memory count as a user
sees them):

* floor/load   PyYAML's libyaml loader reading every file (``yaml.load``)
* floor/total  that load plus bare genanki writing the same notes (same
               fields, no rendering, no checks): the unavoidable work
* check        ``deckbuilder check``, cold: no cache
* check/warm   ``deckbuilder check`` again, the parse cache warm
* build/first  ``deckbuilder build`` of a new deck: no deck.lock, no cache (every card is added,
               and the first version's record lists them all)
* build        ``deckbuilder build`` with an up-to-date deck.lock
* build/edit   ``deckbuilder build`` after editing one card in one file (one change recorded)
* re-check     ``deckbuilder check`` after editing one card in one file
* re-check/watch  what ``deckbuilder watch`` does after that save: a check
               in the same process, reusing what it found last time
               (median of five saves; memory not counted, the process is
               the watch session's)

Times are medians of ``--runs`` runs; memory is the peak resident set of
the process (the largest over the runs). Ratios: check / floor-load and
build / floor-total.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CARDS_PER_FILE = 250
TOPICS = ["classification", "histology", "diagnosis", "differential", "epidemiology", "presentation", "margins",
          "treatment", "prognosis", "surveillance", "genetics"]
SCOPES = ["general", "cutaneous", "cutaneous-dermal", "cutaneous-subcutaneous", "gastrointestinal", "uterine",
          "vascular", "pediatric"]
SOURCES = ["alpha", "beta", "gamma", "delta", "epsilon"]
STEMS = ["What is the", "Which", "Where does the", "How often does the", "What share of", "At what age does the",
         "Which finding marks the", "What margin suits the", "Which gene underlies the", "When should the"]


VOCABULARY_SIZE = 20_000
ZIPF_EXPONENT = 1.05  # word frequencies in natural (and medical) text follow Zipf's law


class _Words:
    """A pseudo-medical vocabulary drawn with Zipfian frequencies, like real text.

    (Uniform draws would make every word equally common, which no text is;
    prefix filtering relies on most words being rare.)
    """

    def __init__(self, rng: random.Random, size: int = VOCABULARY_SIZE, exponent: float = ZIPF_EXPONENT):
        syllables = ["leio", "myo", "sar", "coma", "derm", "cut", "vas", "gastro", "onc", "path", "cyt", "hist",
                     "neo", "plas", "lymph", "angio", "fibro", "carci", "trans", "meta", "peri", "endo", "hepat",
                     "nephr", "rhab", "chondr", "oste", "mes", "epi", "hyp"]
        words: set[str] = set()
        while len(words) < size:
            words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
                      + rng.choice(["", "al", "ic", "osis", "ia", "ous", "oid", "itis"]))
        self.words = sorted(words)
        rng.shuffle(self.words)
        weights = [1 / rank ** exponent for rank in range(1, size + 1)]
        total = sum(weights)
        self.cumulative = list(itertools.accumulate(w / total for w in weights))
        self.rng = rng

    def choice(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cumulative)[0]

    def term(self) -> str:
        """An answer word: answers are specific terms, from the rarer half of the vocabulary."""
        return self.rng.choice(self.words[len(self.words) // 2:])


def _sentence(rng: random.Random, words: _Words, count: int) -> str:
    return " ".join(words.choice() for _ in range(count))


def generate(root: Path, count: int, seed: int = 7, vocabulary: int | None = None) -> Path:
    """Write a synthetic deck of ``count`` cards under ``root/cards``; return that folder.

    ``vocabulary``: draw every word uniformly from that many (the worst case for the near-duplicate
    search, a stand-in for template decks and hostile input) instead of the Zipfian vocabulary.
    """
    rng = random.Random(seed)
    words = _Words(rng) if vocabulary is None else _Words(rng, vocabulary, exponent=0.0)
    cards = root / "cards"
    cards.mkdir(parents=True)
    (cards / "deck.yaml").write_text(
        "name: Benchmark\nversion: 1.0.0\nnamespace: bench\ndescription: A synthetic deck for benchmarks.\n"
        "topics:\n" + "".join(f"  {t}: {t.title()}\n" for t in TOPICS)
        + "required_topics: [histology, margins, prognosis, genetics]\n"
        "scopes:\n" + "".join(f"  {s}: {s.title()}\n" for s in SCOPES))
    (cards / "sources.yaml").write_text("".join(f"- id: {s}\n  title: Source {s}\n  publisher: P\n" for s in SOURCES))
    previous: list[tuple[str, str]] = []
    seen: set[str] = set()
    for file_index in range(0, count, CARDS_PER_FILE):
        lines = []
        for i in range(file_index, min(count, file_index + CARDS_PER_FILE)):
            scope = rng.choice(SCOPES)
            question = f"{rng.choice(STEMS)} {_sentence(rng, words, rng.randint(6, 14))}?"
            if previous and rng.random() < 0.01:  # a near-duplicate: another card's question, one word changed
                question, scope = previous[rng.randrange(len(previous))]
                parts = question.split()
                parts[rng.randrange(1, len(parts))] = words.term()
                question = " ".join(parts)
            while question in seen:  # exact repeats are errors (E402), not what a deck has
                question = question[:-1] + f" {words.term()}?"
            seen.add(question)
            previous.append((question, scope))
            topics = rng.sample(TOPICS, rng.choice([1, 1, 2]))
            sources = rng.sample(SOURCES, rng.choice([1, 1, 2]))
            card = [f"- id: card-{i:06}"]
            kind = rng.random()
            answer = " ".join(words.term() for _ in range(rng.randint(1, 6)))
            if rng.random() < 0.3:
                answer += f" {rng.randint(1, 99)}%"
            if kind < 0.30:
                text = f"{_sentence(rng, words, rng.randint(5, 10))} {{{{c1::{answer}}}}} " \
                       f"{_sentence(rng, words, rng.randint(3, 8))} {{{{c2::{words.term()}}}}}."
                card += ["  type: cloze", f"  text: {json.dumps(text)}"]
            else:
                if kind < 0.35:
                    card.append("  type: reversed")
                    answer = " ".join(answer.split()[:3])
                card += [f"  front: {json.dumps(question)}", f"  back: {json.dumps(answer)}"]
            if rng.random() < 0.4:
                extra = _sentence(rng, words, rng.randint(8, 20))
                if rng.random() < 0.15:
                    extra = f"Also *{words.choice()}* and **{words.choice()}**: {extra}"
                card.append(f"  extra: {json.dumps(extra + '.')}")
            card.append(f"  topics: [{', '.join(topics)}]")
            card.append(f"  scope: {scope}")
            card.append("  sources:")
            card += [f"    - id: {s}\n      section: Section {rng.randint(1, 9)}" for s in sources]
            lines.append("\n".join(card))
        (cards / f"part-{file_index // CARDS_PER_FILE:04}.yaml").write_text("\n\n".join(lines) + "\n")
    return cards


FLOOR_LOAD = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("part-*.yaml")):
    yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
"""

FLOOR_TOTAL = """
import sys, yaml, genanki
from pathlib import Path
basic = genanki.Model(1, "basic", fields=[{"name": n} for n in ("Front", "Back", "Extra", "Id")],
                      templates=[{"name": "c", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])
cloze = genanki.Model(2, "cloze", fields=[{"name": n} for n in ("Text", "Extra", "Id")],
                      templates=[{"name": "c", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
                      model_type=genanki.Model.CLOZE)
deck = genanki.Deck(3, "Benchmark")
for path in sorted(Path(sys.argv[1]).glob("part-*.yaml")):
    for card in yaml.load(path.read_text(), Loader=yaml.CSafeLoader):
        if card.get("type") == "cloze":
            note = genanki.Note(cloze, [card["text"], card.get("extra", ""), card["id"]], guid=card["id"])
        else:
            note = genanki.Note(basic, [card["front"], card["back"], card.get("extra", ""), card["id"]], guid=card["id"])
        deck.add_note(note)
genanki.Package(deck).write_to_file(sys.argv[2])
"""


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time (s) and peak resident memory (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: the synthetic deck has warnings or errors; still measured
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def edit_one_card(cards: Path) -> None:
    """Change one card in one file: add (or remove) a tag on the first card."""
    path = cards / "part-0000.yaml"
    text = path.read_text()
    marker = "  tags: [edited]\n"
    text = text.replace(marker, "", 1) if marker in text else text.replace("  topics: [", marker + "  topics: [", 1)
    path.write_text(text)


WATCH_RECHECK = """
import statistics, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from bench import edit_one_card
from builder import pipeline
from builder.load.cache import disk_cache
from builder.cli import tune_garbage_collector
from builder.check.recheck import RecheckMemo
tune_garbage_collector()  # as the deckbuilder command does
cards = Path(sys.argv[1])
cache, memo = disk_cache(cards), RecheckMemo()
pipeline.check(cards, cache=cache, memo=memo)
times = []
for _ in range(5):
    edit_one_card(cards)
    start = time.perf_counter()
    pipeline.check(cards, cache=cache, memo=memo)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def watch_recheck(cards: Path, root: Path) -> float:
    """Seconds watch takes to re-check after one save (measured inside the process, as watch runs)."""
    out = subprocess.run([sys.executable, "-c", WATCH_RECHECK, str(cards), str(Path(__file__).parent)],
                         cwd=root, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def measure(size: int, runs: int, workdir: Path, vocabulary: int | None = None) -> dict[str, tuple[float, int]]:
    root = workdir / f"deck-{size}-{vocabulary or 'zipf'}"
    cards = generate(root, size, vocabulary=vocabulary)
    python = sys.executable
    cli = [python, "-m", "builder"]
    results: dict[str, list[tuple[float, int]]] = {k: [] for k in (
        "floor/load", "floor/total", "build/first", "check", "check/warm", "build", "build/edit", "re-check",
        "re-check/watch")}
    # The corpus must load cleanly, or the figures would measure error paths.
    checked = subprocess.run([*cli, "check", "--cards", str(cards)], cwd=root, capture_output=True, text=True)
    summary = checked.stdout.strip().splitlines()[-1]
    if not summary.startswith(("0 errors", "No problems")):
        raise SystemExit(f"generated deck has errors: {checked.stdout[:2000]}")
    # The first build writes deck.lock; the measured builds then find it current.
    run([*cli, "build", "--cards", str(cards), "--output", str(root / "output")], root)
    for round_ in range(runs):
        results["floor/load"].append(run([python, "-c", FLOOR_LOAD, str(cards)], root))
        results["floor/total"].append(run([python, "-c", FLOOR_TOTAL, str(cards), str(root / "floor.apkg")], root))
        shutil.rmtree(cards / ".cache", ignore_errors=True)
        (cards / "deck.lock").unlink(missing_ok=True)
        shutil.rmtree(root / "output", ignore_errors=True)
        results["build/first"].append(
            run([*cli, "build", "--cards", str(cards), "--output", str(root / "output")], root))
        shutil.rmtree(cards / ".cache", ignore_errors=True)
        results["check"].append(run([*cli, "check", "--cards", str(cards)], root))
        results["check/warm"].append(run([*cli, "check", "--cards", str(cards)], root))
        results["build"].append(run([*cli, "build", "--cards", str(cards), "--output", str(root / "output")], root))
        edit_one_card(cards)
        results["build/edit"].append(
            run([*cli, "build", "--cards", str(cards), "--output", str(root / "output")], root))
        edit_one_card(cards)
        results["re-check"].append(run([*cli, "check", "--cards", str(cards)], root))
        results["re-check/watch"].append((watch_recheck(cards, root), 0))
    figures = {name: (statistics.median(t for t, _ in values), max(m for _, m in values))
               for name, values in results.items()}
    # Sizes (MB, not seconds): the YAML, and the lock a build wrote for it (read back under MAX_FILE_BYTES).
    figures["size/yaml"] = (sum(path.stat().st_size for path in cards.glob("*.yaml")) / 1e6, 0)
    figures["size/lock"] = ((cards / "deck.lock").stat().st_size / 1e6, 0)
    return figures


def table(figures: dict[int, dict[str, tuple[float, int]]]) -> str:
    """Each figure with its ratio to the floor it is measured against: builds to floor total (load plus a
    bare genanki write), checks to floor load."""
    rows = ["| cards | floor load | floor total | first build (no lock) | check (cold) | check warm | "
            "build (nothing changed) | build after one edit | re-check after one edit | re-check in watch | "
            "peak MB | YAML / deck.lock MB |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size, f in figures.items():
        load, total = f["floor/load"][0], f["floor/total"][0]
        peak = max(m for name, (_, m) in f.items() if not name.startswith(("floor", "size")))

        def cell(name: str, floor: float) -> str:
            return f"{f[name][0]:.2f} s ({f[name][0] / floor:.2f}x)"
        rows.append(
            f"| {size:,} | {load:.2f} s | {total:.2f} s | {cell('build/first', total)} | {cell('check', load)} | "
            f"{cell('check/warm', load)} | {cell('build', total)} | {cell('build/edit', total)} | "
            f"{cell('re-check', load)} | {f['re-check/watch'][0]:.2f} s | {peak} | "
            f"{f['size/yaml'][0]:.1f} / {f['size/lock'][0]:.1f} |")
    return "\n".join(rows)


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=_sizes, nargs="+", default=[[1000, 10_000, 50_000]],
                        help="deck sizes, comma- or space-separated (default: 1000,10000,50000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated decks (printed path)")
    parser.add_argument("--vocabulary", type=int, default=None, metavar="N",
                        help="draw every word uniformly from N words (e.g. 60: the small-vocabulary worst case)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="deckbuilder-bench-"))
    os.environ["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    figures = {}
    try:
        for size in [size for group in args.sizes for size in group]:
            figures[size] = measure(size, args.runs, workdir, args.vocabulary)
            detail = ", ".join(f"{name} {t:.2f}s/{m}MB" if not name.startswith("size") else f"{name} {t:.1f}MB"
                               for name, (t, m) in figures[size].items())
            print(f"{size:>6} cards: {detail}", flush=True)
        print()
        print(table(figures))
    finally:
        if args.keep:
            print(f"\ndecks kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
