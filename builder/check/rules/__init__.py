"""The checker: every rule is a module with a CODE and a ``check`` generator.

A rule module has:

* ``CODE``: its diagnostic code (see codes.py);
* ``check(ctx)``: yields Findings (location, message, subject id); and/or
  ``check_cards(ctx, cards)``: yields the Findings about each of ``cards``
  that depend on that card alone (plus the deck, sources, media folder and
  options), never on other cards, the lock or source texts. ``watch``
  re-runs it only for the files that changed (see recheck.py);
* optionally ``OPTIONS = RULE_OPTIONS[CODE]``: option names and defaults,
  declared in model/rule_options.py (where reading deck.yaml finds them
  without importing the rules), set per deck in deck.yaml ``checks:``; the
  running rule reads them from ``ctx.options``;
* optionally ``NEEDS``: "sources" (runs only with ``--sources``) or "lock";
* a docstring explaining the problem, and ``FAILING``/``PASSING`` examples
  that ``deckbuilder check --explain CODE`` prints.

The runner, not the rule, attaches code and severity and applies the deck's
configuration, so rules stay small. A rule never prints and never raises for
content problems.
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Iterable, Iterator

from ...model import CODES, CardSet, Diagnostic, Location, Severity, diagnostic
from ...load import for_card_set
from .card_share import CardShare, share_out
from .context import CheckContext, Finding
from . import (  # noqa: E402  (the registry below lists them in running order)
    answer_in_question,
    binary_question,
    card_kind_changed,
    cloze_deletion,
    cloze_numbering,
    cloze_syntax,
    control_character,
    copied_wording,
    deck_name_clash,
    duplicate_id,
    duplicate_question,
    empty_deck,
    empty_render,
    enumeration,
    extra_repeats_answer,
    fact_mismatch,
    figure_out_of_context,
    give_away,
    hidden_field,
    id_format,
    interchangeable_deletions,
    interference,
    likely_contradiction,
    long_answer,
    math_delimiters,
    media_case,
    media_missing,
    media_name,
    media_path,
    media_underscore,
    missing_source,
    missing_topic,
    namespace_changed,
    near_duplicate,
    population_mismatch,
    removed_markup,
    required_topic,
    reused_id,
    reverse_answer_not_term,
    section_not_found,
    source_in_question,
    source_without_text,
    sources_differ_missing,
    tag_case,
    tag_format,
    too_many_deletions,
    topic_coverage,
    uncited_source,
    ungrounded_figure,
    unknown_scope,
    unknown_source,
    unknown_topic,
    unsafe_html,
    yes_no_question,
)

if TYPE_CHECKING:
    from ..recheck import RecheckMemo

# In code order: identity, references, content, coverage, grounding, consistency, quality, Anki safety.
RULES: tuple[ModuleType, ...] = (
    duplicate_id,
    id_format,
    reused_id,
    namespace_changed,
    card_kind_changed,
    unknown_topic,
    missing_topic,
    unknown_source,
    missing_source,
    unknown_scope,
    cloze_deletion,
    duplicate_question,
    empty_render,
    cloze_syntax,
    cloze_numbering,
    math_delimiters,
    required_topic,
    topic_coverage,
    uncited_source,
    empty_deck,
    deck_name_clash,
    source_without_text,
    ungrounded_figure,
    figure_out_of_context,
    section_not_found,
    population_mismatch,
    copied_wording,
    fact_mismatch,
    sources_differ_missing,
    long_answer,
    enumeration,
    answer_in_question,
    yes_no_question,
    too_many_deletions,
    extra_repeats_answer,
    reverse_answer_not_term,
    interchangeable_deletions,
    give_away,
    binary_question,
    interference,
    source_in_question,
    unsafe_html,
    control_character,
    removed_markup,
    media_missing,
    media_path,
    media_case,
    media_name,
    media_underscore,
    tag_format,
    tag_case,
    hidden_field,
    # Last: their search runs on the second core meanwhile.
    near_duplicate,
    likely_contradiction,
)

RULES_BY_CODE: dict[str, ModuleType] = {rule.CODE: rule for rule in RULES}

# Below this many cards a deck-wide rule is quicker inline than in a forked process.
PARALLEL_MIN_CARDS = 2000


def run_checks(ctx: CheckContext, rules: Iterable[ModuleType] = RULES, parallel: bool = True) -> list[Diagnostic]:
    """Run the rules with the deck's levels and options, then apply its accepted warnings.

    ``parallel``: share the card-level rules' work with a second core when it pays (card_share.py). False
    when the other core is taken (a build plans there while the rules run in a child): the card-level rules
    then run in this process alone and the slow searches share one child, which saved a sixth of the CPU
    time of the rules and searches of a first build (copy-on-write faults, words computed twice). The result
    is the same either way."""
    config = ctx.card_set.deck.checks
    rules = list(rules)
    if ctx.memo is not None:
        ctx.memo.start_run(ctx)
    start_slow_searches(ctx.card_set, ctx.memo, rules, one_process=not parallel)
    running = []
    for rule in rules:
        level = config.levels.get(rule.CODE)
        if level == "off":
            continue
        severity = Severity(level) if level else CODES[rule.CODE].severity
        options = {**getattr(rule, "OPTIONS", {}), **config.options.get(rule.CODE, {})}
        running.append((rule, severity, replace(ctx, options=options)))
    stored = for_card_set(ctx.card_set) if ctx.memo is None else None
    share = _share_out(stored, running) if parallel and stored is not None else None
    if share is None:
        found = [_findings(rule, rule_ctx) for rule, _, rule_ctx in running]
    else:  # the deck-wide rules first, while the child checks its cards; then everything in the usual order
        wide = [list(rule.check(rule_ctx)) if hasattr(rule, "check") else [] for rule, _, rule_ctx in running]
        found = [[*whole, *_card_findings(rule, rule_ctx, share)] for whole, (rule, _, rule_ctx) in zip(wide, running)]
    diagnostics = []
    for (rule, severity, _), findings in zip(running, found):
        for finding in findings:
            diagnostics.append(Diagnostic(rule.CODE, severity, finding.location, finding.message, finding.subject))
    _forget_run_caches(keep_text_memos=ctx.memo is not None)
    if stored is None:
        stored = for_card_set(ctx.card_set)
    if stored is not None:
        stored.flush("findings")
    return apply_acceptances(diagnostics, ctx)


def _findings(rule: ModuleType, ctx: CheckContext) -> Iterator[Finding]:
    whole = getattr(rule, "check", None)
    if whole is not None:
        yield from whole(ctx)
    yield from _card_findings(rule, ctx)


def _card_findings(rule: ModuleType, ctx: CheckContext, share: CardShare | None = None) -> Iterator[Finding]:
    per_card = getattr(rule, "check_cards", None)
    if per_card is not None:
        stored = for_card_set(ctx.card_set) if ctx.memo is None else None
        if stored is not None:  # a fresh process: unchanged files' findings come from the disk cache
            compute = share.compute(rule.CODE, per_card, ctx) if share is not None else None
            yield from _stored_findings(stored, rule.CODE, per_card, ctx, compute)
        elif ctx.memo is None:
            yield from per_card(ctx, ctx.card_set.cards)
        else:
            yield from ctx.memo.card_findings(rule.CODE, per_card, ctx)


def _share_out(stored, running) -> CardShare | None:
    rules = []
    for rule, _, ctx in running:
        if hasattr(rule, "check_cards"):
            rules.append((rule, ctx, _findings_codec(ctx)[0]))
    return share_out(stored, rules)


def _findings_codec(ctx: CheckContext):
    """A card-level rule's findings as the derived cache keeps them: what they depend on besides the file
    (the deck, the sources and the media names: equal ones have equal reprs; positions are left out of
    them), and their encoding, with the options."""
    card_set = ctx.card_set
    context = repr((card_set.deck, card_set.sources, sorted(ctx.media_files), ctx.media_dir))
    options = repr(sorted(ctx.options.items()))

    def encode(findings: list[Finding]) -> list:
        return [options, [[*f.location, f.message, f.subject] for f in findings]]

    def decode(data, cards) -> list[Finding] | None:
        if not (isinstance(data, list) and len(data) == 2 and data[0] == options and isinstance(data[1], list)):
            return None
        findings = []
        for item in data[1]:
            if not (isinstance(item, list) and len(item) == 5):
                return None
            file, line, column, message, subject = item
            if not (isinstance(file, str) and type(line) is int and type(column) is int and isinstance(message, str)
                    and (subject is None or isinstance(subject, str))):
                return None
            findings.append(Finding(Location(file, line, column), message, subject))
        return findings

    return context, encode, decode


def _stored_findings(stored, code: str, check_cards, ctx: CheckContext, compute=None) -> list[Finding]:
    """A card-level rule's findings, file by file, from the derived cache (load/derived.py): stored ones
    for unchanged files, computed (by ``compute``, if given: see card_share.py) for the rest."""
    context, encode, decode = _findings_codec(ctx)
    if compute is None:
        compute = lambda cards: list(check_cards(ctx, cards))  # noqa: E731
    return stored.per_file("findings", context, code, compute, encode, decode)


def start_slow_searches(card_set: CardSet, memo: RecheckMemo | None = None,
                        rules: Iterable[ModuleType] = RULES, one_process: bool = False) -> None:
    """Start the near-duplicate search on the second core; W403/W702 collect it when their turn comes.

    The pipeline calls this as soon as the cards are loaded, so the search also overlaps reading the lock.
    ``one_process``: the searches (and W811) run one after the other in a single child, for when both cores
    are busy already (see load.Batch). Starting them again is a no-op."""
    from ...load import Batch
    from .pairs import start_search

    config = card_set.deck.checks
    batch = Batch() if one_process else None
    for rule in (near_duplicate, likely_contradiction):
        if rule in rules and config.levels.get(rule.CODE) != "off":
            options = {**rule.OPTIONS, **config.options.get(rule.CODE, {})}
            start_search(card_set, options["min_similarity"], options["min_score"], memo, batch)
    # W811 too, when it is more work than starting a process (never under watch: a thread is running there,
    # and its re-check must stay quick; an inline start would only move the work, not save it).
    if (interference in rules and config.levels.get(interference.CODE) != "off" and memo is None
            and len(card_set.cards) >= PARALLEL_MIN_CARDS):
        interference.start(card_set, {**interference.OPTIONS, **config.options.get(interference.CODE, {})}, batch)
    if batch is not None:
        batch.start()


def _forget_run_caches(keep_text_memos: bool) -> None:
    """Free what the rules shared within this run.

    The memos keyed by text (every field's words: 80 MB at 50,000 cards) stay
    under watch, where they are still right at the next save.
    """
    from ...text import parse
    from ..grounding import forget_verdicts
    from ..similarity import words
    from .cloze_views import uncovered
    from .duplicate_question import normalised
    from .field_markers import forget_markers
    from .media import forget_references

    forget_references()
    forget_markers()
    forget_verdicts()
    if not keep_text_memos:
        words.cache_clear()
        parse.cache_clear()
        normalised.cache_clear()
        uncovered.cache_clear()


def _could_report(code: str, ctx: CheckContext) -> bool:
    """Whether this run could have reported ``code`` (so an acceptance that matched nothing is stale)."""
    rule = RULES_BY_CODE.get(code)
    if rule is None or ctx.card_set.deck.checks.levels.get(code) == "off":
        return False
    needs = getattr(rule, "NEEDS", ())
    return not (("sources" in needs and ctx.source_texts is None) or ("lock" in needs and ctx.lock is None))


def apply_acceptances(diagnostics: list[Diagnostic], ctx: CheckContext) -> list[Diagnostic]:
    accepted = ctx.card_set.deck.checks.accepted
    used = set()
    kept = []
    for found in diagnostics:
        match = next((a for a in accepted if (a.code, a.subject) == (found.code, found.subject)), None)
        if match is not None and not found.is_error:
            used.add(match)
        else:
            kept.append(found)
    for acceptance in accepted:
        if acceptance not in used and _could_report(acceptance.code, ctx):
            kept.append(diagnostic("W008", acceptance.location, (
                f"accepted {acceptance.code} for '{acceptance.subject}' no longer occurs: remove the entry "
                "so it cannot hide a future problem")))
    return kept
