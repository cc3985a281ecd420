"""Deciding what a submission needs, and the digests that decide it."""

from __future__ import annotations

import pytest

from autograder.batch.plan import Decision, StoredSubmission, decide, grader_fingerprint, layout_key

PARTS = ("1", "2", "3")


def stored(*, content: str = "h1", layout: str = "L", final: bool = True, stale: tuple[str, ...] = ()) -> StoredSubmission:
    return StoredSubmission(content_hash=content, layout_key=layout, final=final, stale_parts=frozenset(stale))


@pytest.mark.parametrize(
    ("record", "force", "expected"),
    [
        (None, False, Decision(None, "new")),
        (stored(), True, Decision(None, "forced")),
        (stored(final=False), False, Decision(None, "retry")),
        (stored(content="h0"), False, Decision(None, "content changed")),
        (stored(layout="old"), False, Decision(None, "layout changed")),
        (stored(), False, Decision((), "unchanged")),
        (stored(stale=("2",)), False, Decision(("2",), "parts changed")),
        (stored(stale=("3", "1")), False, Decision(("1", "3"), "parts changed")),
        (stored(stale=PARTS), False, Decision(None, "parts changed")),
        (stored(stale=("gone",)), False, Decision((), "unchanged")),
    ],
    ids=["new", "forced", "retry", "content", "layout", "unchanged", "one part", "two parts", "all parts", "removed part"],
)
def test_decide(record, force, expected):
    assert decide(record, content_hash="h1", current_layout="L", part_ids=PARTS, force=force) == expected


def test_reuse_only_when_nothing_to_grade():
    assert Decision((), "unchanged").reuse
    assert not Decision(("1",), "parts changed").reuse
    assert not Decision(None, "new").reuse


def test_layout_key_follows_part_list(make_spec):
    spec = "title: T\nparts:\n  - id: a\n    type: number\n    prompt: p\n    answer: 1\n"
    first = layout_key(make_spec(spec))
    renamed = layout_key(make_spec(spec.replace("id: a", "id: b")))
    answers_file = layout_key(make_spec("submission:\n  answers: mine.yaml\n" + spec))
    assert first == layout_key(make_spec(spec))
    assert renamed != first
    assert answers_file != first


def test_layout_key_ignores_part_content(make_spec):
    spec = "title: T\nparts:\n  - id: a\n    type: number\n    prompt: p\n    answer: 1\n"
    assert layout_key(make_spec(spec)) == layout_key(make_spec(spec.replace("answer: 1", "answer: 2")))


def test_grader_fingerprint_is_a_sha256():
    fingerprint = grader_fingerprint()
    assert len(fingerprint) == 64
    assert fingerprint == grader_fingerprint()
