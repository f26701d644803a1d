"""Every diagnostic code is documented and tested: a data file triggers it at an asserted position."""

import re

import pytest

from builder.model.codes import CODES
from builder.check.explain import explain

from ..conftest import TESTS

TEST_SOURCES = "\n".join(path.read_text() for path in TESTS.rglob("test_*.py"))


@pytest.mark.parametrize("code", list(CODES))
def test_code_has_a_position_assertion_in_the_suite(code):
    # A (code, file, line, column) tuple: how every test here asserts a diagnostic.
    assert re.search(rf'\("{code}", "[^"]+", \d+(, \d+)?\)', TEST_SOURCES), f"no test asserts where {code} is reported"


@pytest.mark.parametrize("code", list(CODES))
def test_code_is_explained_with_examples(code):
    text = explain(code)
    assert text.startswith(f"{code} {CODES[code].name}")
    assert "Reported:" in text and "Not reported:" in text


def test_docs_codes_table_is_current():
    from builder.check.codes_doc import DOC, render

    assert DOC.read_text() == render(), "run: python -m builder.check.codes_doc"
