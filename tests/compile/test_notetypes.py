import re

from builder.lock.identity import stable_id
from builder.compile.notetypes import BASIC_FIELDS, CLOZE_FIELDS, note_types


def test_field_lists_are_a_permanent_contract():
    # Anki treats any change here as a new note type and stops delivering
    # edits to students (DESIGN §4.5). Change only with a migration plan.
    assert BASIC_FIELDS == ("Front", "Back", "Extra", "SourcesDiffer", "Scope", "Sources", "CardId", "Notice",
                            "AddReverse")
    assert CLOZE_FIELDS == ("Text", "Extra", "SourcesDiffer", "Scope", "Sources", "CardId", "Notice")


def test_ids_and_kinds():
    types = note_types("lms")
    assert types.basic.model_id == stable_id("lms", "notetype", "basic")
    assert types.cloze.model_id == stable_id("lms", "notetype", "cloze")
    assert types.basic.model_type == types.basic.FRONT_BACK
    assert types.cloze.model_type == types.cloze.CLOZE
    assert [t["name"] for t in types.basic.templates] == ["Forward", "Reverse"]


def test_templates_only_reference_existing_fields():
    special = {"FrontSide"}
    for model in note_types("lms"):
        names = {f["name"] for f in model.fields} | special
        for template in model.templates:
            for side in ("qfmt", "afmt"):
                for ref in re.findall(r"\{\{[#/^]?(?:cloze:)?([^}]+)\}\}", template[side]):
                    assert ref in names, f"{model.name} {template['name']} {side} uses unknown field {ref}"


def test_reverse_card_exists_only_when_asked_for():
    basic = note_types("lms").basic
    # genanki's requirement table: the reverse template needs AddReverse.
    reverse_req = basic._req[1]
    assert reverse_req[0] == 1 and reverse_req[2] == [BASIC_FIELDS.index("AddReverse")]
