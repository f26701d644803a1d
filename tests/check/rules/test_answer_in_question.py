from builder.check.rules import answer_in_question

from .helpers import rule_positions


def test_reports_answer_in_question(make_cards):
    assert rule_positions(answer_in_question, make_cards("answer-in-question.yaml")) == [("W803", "answer-in-question.yaml", 2, 10), ("W803", "answer-in-question.yaml", 10, 9), ("W803", "answer-in-question.yaml", 16, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(answer_in_question, make_cards("valid.yaml")) == []


def test_every_deletion_is_covered_however_many_there_are():
    # Each deletion's offset is into the text as written: masking them one by one into a changed text
    # grew it about ninefold per deletion (20 short deletions took gigabytes) and masked the wrong spans.
    text = " ".join(f"{{{{c{n}::w{n}}}}} plain{n}" for n in range(1, 41))
    visible = answer_in_question._uncovered(text)
    assert len(visible) < len(text)
    assert all(f"w{n}" not in visible.split() and f"plain{n}" in visible for n in range(1, 41))
    assert answer_in_question._contains(answer_in_question._uncovered("{{c1::alpha}} and {{c2::beta}}, beta"), "beta")
    assert not answer_in_question._contains(answer_in_question._uncovered("{{c1::alpha}} and {{c2::beta}}"), "beta")
