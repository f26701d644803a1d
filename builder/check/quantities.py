"""Figures read as quantities: a number (or range) with its unit and its qualifier.

"1-3 cm", "3–5 years", "between 60 and 70", "about 98%", "≥2 cm", "less than
1 per 100,000", "2:1", "Sixty-three of 100 people", "five-year survival":
each is one :class:`Quantity`. Grounding compares quantities, not digits, so
that "3 cm" is not grounded by "1-3 cm", "1 mm" not by "1 cm", and "at least
2 cm" not by "up to 2 cm".

A small parser of our own: the phrases medical prose uses for figures are few,
and what matters is how they compare (range and bound semantics), which no
general unit library models. Cards and sources are read the same way, except
that on a card a number word ("three subtypes", "an experienced one") is a
figure only when it carries a unit ("five-year"): a card's prose is not data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator

# Units, normalised: the text after a number -> the unit it means.
_UNIT_WORDS = {
    "%": "%", "percent": "%", "per cent": "%",
    "cm": "cm", "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
    "mm": "mm", "millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
    "month": "months", "months": "months",
    "year": "years", "years": "years",
    "week": "weeks", "weeks": "weeks",
    "day": "days", "days": "days",
    "kg": "kg", "mg": "mg",
}
# How a unit is written after a number, for messages (and test mutations).
UNIT_TEXT = {"%": "%", "cm": " cm", "mm": " mm", "months": " months", "years": " years", "weeks": " weeks",
             "days": " days", "kg": " kg", "mg": " mg"}

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth"]
WORD_VALUES: dict[str, int] = {w: v for v, w in enumerate(_ONES)}
WORD_VALUES |= {w: v * 10 for v, w in enumerate(_TENS) if w}
WORD_VALUES |= {"hundred": 100, "thousand": 1000}
ORDINAL_VALUES = {w: v for v, w in enumerate(_ORDINALS) if w}

_WORD_NUMBER = (r"(?:(?:" + "|".join(w for w in _TENS if w) + r")(?:[- ](?:" + "|".join(_ONES[1:10]) + r"))?"
                r"|" + "|".join(sorted(_ONES + ["hundred", "thousand"], key=len, reverse=True)) + r")")
_DIGITS = r"\d+(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_NUMBER = rf"(?:{_DIGITS}|\b{_WORD_NUMBER}\b)"
_DASH = r"\s*(?:-|–|—|to)\s*"
_UNIT = (r"(?:\s*%|(?:\s+|-)(?:per cent|percent|centimet(?:er|re)s?|millimet(?:er|re)s?|cm|mm|months?|years?"
         r"|weeks?|days?|kg|mg)\b)")
_RATE = r"\s+(?P<rateword>(?:out\s+)?of|in(?:\s+every)?|per)\s+(?P<base>100|1,000|10,000|100,000|1,000,000)(?!\d|,\d)"
_QUALIFIER = (r"(?:about|approximately|approx\.?|around|roughly|nearly|almost|some|~|≈"
              r"|at least|no less than|minimum(?: of)?|≥|>=|more than|over|above|greater than|>"
              r"|up to|as many as|at most|no more than|maximum(?: of)?|≤|<=|less than|under|below|fewer than|<)")

_QUANTITY = re.compile(
    rf"(?P<qual>{_QUALIFIER}\s*)?"
    rf"(?:(?P<between>between)\s+)?"
    rf"(?P<code>(?<=[A-Za-z])|(?<=[A-Za-z]-))?"
    rf"(?P<low>{_NUMBER})"
    rf"(?:(?P<ratio>:)(?P<ratio2>\d+)"
    rf"|(?P<lowunit>{_UNIT})?(?:(?P<dash>{_DASH}|\s+and\s+)(?P<high>{_NUMBER})(?P<highunit>{_UNIT})?)?"
    rf"(?P<rate>{_RATE})?)",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d+(?:/\d+){1,2}\b|\d+:\d+:\d+|\d{4}-\d{2}-\d{2}")
_MAY_HAVE_NUMBER = re.compile(r"\d|\b" + _WORD_NUMBER + r"\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(" + "|".join(ORDINAL_VALUES) + r")\b", re.IGNORECASE)
_AGE = re.compile(r"\bage(?:d)?\s*$", re.IGNORECASE)
_CLOZE_MARK = re.compile(r"\{\{c\d+::|::[^{}]*?\}\}|\}\}")

_BOUNDS = {
    ">=": ("at least", "no less than", "minimum", "minimum of", "≥", ">="),
    ">": ("more than", "over", "above", "greater than", ">"),
    "<=": ("up to", "as many as", "at most", "no more than", "maximum", "maximum of", "≤", "<="),
    "<": ("less than", "under", "below", "fewer than", "<"),
}
_BOUND_OF = {text: bound for bound, texts in _BOUNDS.items() for text in texts}


@dataclass(frozen=True)
class Quantity:
    """One figure. ``low == high`` for a single value; ``unit`` None when none is written."""

    low: Fraction
    high: Fraction
    unit: str | None
    bound: str = "="  # "=" (exact or about), ">=", ">", "<=", "<"
    code: bool = False  # digits inside a name (CD117, C49.9): an identifier, compared by its digits
    start: int = 0  # offset in the text it was read from
    end: int = 0
    text: str = ""  # as written

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def direction(self) -> str:
        return self.bound[0] if self.bound != "=" else "="

    def value_text(self) -> str:
        """'1–3 cm', '98%', '2:1', 'at least 2 cm': for messages."""
        if self.unit == "ratio":
            return f"{_show(self.low)}:{_show(self.high)}"
        number = f"{_show(self.low)}–{_show(self.high)}" if self.is_range else _show(self.low)
        unit = UNIT_TEXT.get(self.unit, f" {self.unit}") if self.unit and not self.unit.startswith("per ") else ""
        if self.unit and self.unit.startswith("per "):
            unit = f" {self.unit[:4]}{int(self.unit[4:]):,}"
        words = {">=": "at least ", ">": "more than ", "<=": "up to ", "<": "less than "}.get(self.bound, "")
        if self.unit == "age":
            return f"{words}age {number}"
        return f"{words}{number}{unit}"

    def key(self) -> tuple:
        return (self.low, self.high, self.unit)


def _show(value: Fraction) -> str:
    if value.denominator != 1:
        return f"{float(value):g}"
    return f"{int(value):,}" if 10_000 <= value < 1_000_000 else str(int(value))  # 15,000; 254771006


def _number(text: str) -> Fraction | None:
    text = text.strip().lower()
    if text[0].isdigit():
        return Fraction(text.replace(",", ""))
    parts = re.split(r"[- ]", text)
    try:
        return Fraction(sum(WORD_VALUES[p] for p in parts))
    except KeyError:
        return None


def _unit(text: str | None) -> str | None:
    if not text:
        return None
    return _UNIT_WORDS.get(text.strip().lstrip("-").strip().lower())


def strip_cloze(text: str) -> str:
    """Cloze markup as spaces (offsets kept): '{{c1::63%::hint}}' reads as '63%'."""
    return _CLOZE_MARK.sub(lambda m: " " * len(m.group()), text)


def quantities(text: str, *, words_need_unit: bool = False) -> tuple[Quantity, ...]:
    """Every figure in ``text``, in order. ``words_need_unit``: a number word counts only with a unit."""
    if not text or not _MAY_HAVE_NUMBER.search(text):
        return ()  # most card fields: no digit, no number word (the full pattern is slow to fail)
    return _quantities(text, words_need_unit)


@functools.lru_cache(maxsize=1 << 16)  # a card's fields are read by several rules
def _quantities(text: str, words_need_unit: bool) -> tuple[Quantity, ...]:
    return tuple(_read(text, words_need_unit))


def _read(text: str, words_need_unit: bool) -> Iterator[Quantity]:
    text = strip_cloze(text)
    for m in _QUANTITY.finditer(text):
        start = m.start("low")
        if (_DATE.match(text, start) or (start and text[start - 1] in "/:")
                or re.search(r"\d{4}-\d{2}-$", text[max(0, start - 8):start])):
            continue  # 10/29/2018, 2:40:50 PM: a date or a time, not a figure
        low_text, high_text = m.group("low"), m.group("high")
        low_is_word = not low_text[0].isdigit()
        low = _number(low_text)
        if low is None:
            continue
        code = m.group("code") is not None and not low_is_word
        qualifier = (m.group("qual") or "").strip().lower()
        bound = _BOUND_OF.get(qualifier.rstrip("."), "=")
        if m.group("ratio"):
            yield Quantity(low, Fraction(m.group("ratio2")), "ratio", bound, False, m.start("low"), m.end(),
                           m.group())
            continue
        dash = m.group("dash")
        high = _number(high_text) if high_text else None
        if dash is not None and "and" in dash and not m.group("between"):
            high = None  # "2 and 3" is two figures, unless "between 2 and 3"
        end = m.end() if high is not None else (m.end("lowunit") if m.group("lowunit") else m.end("low"))
        unit = _unit(m.group("lowunit")) or (_unit(m.group("highunit")) if high is not None else None)
        if m.group("rate"):
            base = int(m.group("base").replace(",", ""))
            end = m.end()
            if base == 100 and "of" in m.group("rateword").lower():
                unit = "%"  # "Sixty-three of 100 people": 63%
                if not words_need_unit and high is None:
                    # ... and, in a source, the counts it is made of: 63 people, out of 100
                    yield Quantity(low, low, None, "=", False, m.start("low"), m.end("low"), low_text)
                    yield Quantity(Fraction(100), Fraction(100), None, "=", False, m.start("base"), m.end(), "100")
            elif unit is None:
                unit = f"per {base}"
        if unit is None and _AGE.search(text[max(0, m.start() - 24):m.start("low")]):
            unit = "age"
        if words_need_unit and low_is_word and unit in (None, "age"):
            continue
        if high is not None and high <= low and dash is not None and "and" not in dash:
            high = None  # "C49.9-1" or a date: not a range
        if high is not None and high < low:
            low, high = high, low  # "between 70 and 60" (the only reversed range left): the same interval
        if high is None:
            yield Quantity(low, low, unit, bound, code, m.start("low"), end, text[m.start():end].strip())
            if high_text and "and" in (dash or ""):
                second = _number(high_text)
                if second is not None and not (words_need_unit and not high_text[0].isdigit()):
                    yield Quantity(second, second, _unit(m.group("highunit")) or unit, "=", False,
                                   m.start("high"), m.end(), high_text)
        else:
            yield Quantity(low, high, unit, bound, code, m.start("low"), end, text[m.start():end].strip())


def ordinals(text: str) -> Iterator[Quantity]:
    """'the fifth year' states 5 (no unit: an ordinal counts, it does not measure)."""
    for m in _ORDINAL.finditer(text):
        value = Fraction(ORDINAL_VALUES[m.group(1).lower()])
        yield Quantity(value, value, None, "=", False, m.start(), m.end(), m.group())


def grounds(stated: Quantity, card: Quantity) -> bool:
    """Whether the source's ``stated`` quantity states the card's quantity.

    Same number or range and the same unit (a card figure without a unit is
    a count or an age); bounds may differ only in strength ("1 cm" / "minimum 1 cm"),
    never in direction ("at least 2 cm" is not "up to 2 cm"). A code's digits
    match whatever the source writes them as ("CD117" / "CD 117").
    """
    if card.code:
        return stated.low == card.low and not stated.is_range
    if (stated.low, stated.high) != (card.low, card.high):
        return False
    if not _same_unit(stated.unit, card.unit):
        return False
    if card.direction != "=" and stated.direction != "=" and card.direction != stated.direction:
        return False
    return True


def _same_unit(stated: str | None, card: str | None) -> bool:
    """A figure written without a unit is a count or an age ("over 50", "stage 4", "about 15,000")."""
    if card is None or card == "age":
        return stated in (None, "age", "years")
    return stated == card


def comparable(stated: Quantity, card: Quantity) -> bool:
    """Whether ``stated`` is the same kind of figure as the card's (a rival figure for the same slot)."""
    if card.code or stated.code or card.unit in (None, "age"):
        return False  # a bare count or an identifier has no "same kind": 254771006 is not rivalled by 2024
    return stated.unit == card.unit
