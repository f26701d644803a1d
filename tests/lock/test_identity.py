from builder.lock import identity


def test_guid_depends_only_on_namespace_and_card_id():
    guid = identity.note_guid("lms", "margins-dermal")
    assert guid == identity.note_guid("lms", "margins-dermal")
    assert guid != identity.note_guid("lms", "margins-subcutaneous")
    assert guid != identity.note_guid("other", "margins-dermal")


def test_guid_is_pinned():
    # Changing how GUIDs are derived would duplicate every student's notes.
    assert identity.note_guid("leiomyosarcoma", "margins-dermal-minimum") == 'B#RvL{[$/4'


def test_stable_ids_are_distinct_and_safe_for_javascript():
    ids = {identity.stable_id("lms", "notetype", n) for n in ("basic", "cloze")}
    ids.add(identity.stable_id("lms", "deck", "main"))
    assert len(ids) == 3
    assert all(1 << 31 <= i < 1 << 53 for i in ids)
    assert identity.stable_id("lms", "notetype", "basic") == identity.stable_id("lms", "notetype", "basic")


def test_tags_are_hierarchical():
    assert identity.topic_tag("lms", "margins") == "lms::topic::margins"
    assert identity.scope_tag("lms", "cutaneous") == "lms::scope::cutaneous"
    assert identity.source_tag("lms", "dr-oracle") == "lms::source::dr-oracle"
