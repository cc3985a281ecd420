"""Loading specs: every author error names the file, line and part."""

from __future__ import annotations

import pytest

from autograder.errors import ReferenceError_, SpecError

GOOD_PART = """
  - id: "1"
    type: choice
    prompt: p
    options: [A, B]
    answer: A
"""


def spec_error(make_spec, text, reference=None) -> SpecError:
    with pytest.raises(SpecError) as caught:
        make_spec(text, reference)
    return caught.value


def test_valid_spec_loads(make_spec):
    problem_set = make_spec("title: T\nparts:" + GOOD_PART)
    assert [part.id for part in problem_set.parts] == ["1"]
    assert problem_set.sections == ["1"]
    assert len(problem_set.fingerprint) == 64


def test_missing_file(tmp_path):
    from autograder.loader import load_problem_set

    with pytest.raises(SpecError, match="spec file not found"):
        load_problem_set(tmp_path / "nope.yaml")


def test_yaml_syntax_error_has_line(make_spec):
    error = spec_error(make_spec, "title: T\nparts: [\n")
    assert error.line is not None
    assert "invalid YAML" in str(error)
    assert "spec.yaml:" in str(error)


def test_unknown_key_names_part_and_line(make_spec):
    text = "title: T\nparts:" + GOOD_PART + '  - id: "2"\n    type: choice\n    prompt: p\n    options: [A, B]\n    answr: A\n'
    error = spec_error(make_spec, text)
    assert error.part == "2"
    assert error.line == 12
    assert "unknown key 'answr'" in str(error)


def test_unknown_type(make_spec):
    error = spec_error(make_spec, 'title: T\nparts:\n  - id: "1"\n    type: essay\n    prompt: p\n')
    assert "unknown part type 'essay'" in str(error)
    assert error.line == 4


def test_unquoted_numeric_id(make_spec):
    error = spec_error(make_spec, "title: T\nparts:\n  - id: 1.1\n    type: choice\n    prompt: p\n    options: [A, B]\n    answer: A\n")
    assert 'write the part id in quotes ("1.1")' in str(error)


def test_duplicate_part_id(make_spec):
    error = spec_error(make_spec, "title: T\nparts:" + GOOD_PART + GOOD_PART)
    assert "duplicate part id '1'" in str(error)
    assert error.line == 9


def test_missing_answer(make_spec):
    error = spec_error(make_spec, 'title: T\nparts:\n  - id: "1"\n    type: choice\n    prompt: p\n    options: [A, B]\n')
    assert "missing 'answer'" in str(error)
    assert error.part == "1"


def test_wrong_value_type(make_spec):
    error = spec_error(make_spec, 'title: T\nparts:\n  - id: "1"\n    type: number\n    prompt: p\n    answer: 1\n    rtol: lots\n')
    assert "rtol" in str(error)
    assert error.line == 7


def test_missing_title(make_spec):
    error = spec_error(make_spec, "parts:" + GOOD_PART)
    assert "missing required key 'title'" in str(error)


def test_defaults_apply_by_type(make_spec):
    problem_set = make_spec(
        "title: T\ndefaults:\n  number: {rtol: 0.5}\nparts:\n"
        '  - id: "1"\n    type: number\n    prompt: p\n    answer: 1\n'
        '  - id: "2"\n    type: number\n    prompt: p\n    answer: 1\n    rtol: 0.1\n'
    )
    assert problem_set.parts[0].rtol == 0.5
    assert problem_set.parts[1].rtol == 0.1


def test_reference_not_found(make_spec):
    with pytest.raises(ReferenceError_, match="not found"):
        make_spec("title: T\nreference: missing.py\nparts:" + GOOD_PART)


def test_reference_import_error_names_line(make_spec):
    with pytest.raises(ReferenceError_, match=r"failed at line 2: ZeroDivisionError"):
        make_spec("title: T\nreference: reference.py\nparts:" + GOOD_PART, reference="x = 1\ny = 1 / 0\n")


def test_answer_from_missing_function(make_spec):
    text = 'title: T\nreference: reference.py\nparts:\n  - id: "1"\n    type: number\n    prompt: p\n    answer_from: nothing\n'
    error = spec_error(make_spec, text, reference="def something():\n    return 1\n")
    assert "no function named 'nothing'" in str(error)
    assert error.line == 7


def test_answer_from_raising_function(make_spec):
    text = 'title: T\nreference: reference.py\nparts:\n  - id: "1"\n    type: number\n    prompt: p\n    answer_from: broken\n'
    error = spec_error(make_spec, text, reference="def broken():\n    raise ValueError('oops')\n")
    assert "raised ValueError: oops" in str(error)


def test_answer_from_value(make_spec):
    text = 'title: T\nreference: reference.py\nparts:\n  - id: "1"\n    type: number\n    prompt: p\n    answer_from: value\n'
    problem_set = make_spec(text, reference="import numpy as np\ndef value():\n    return np.float64(2.5)\n")
    assert problem_set.checkers["1"].expected == 2.5


def test_part_fingerprint_changes_only_for_that_part(make_spec, tmp_path):
    base = "title: T\nparts:" + GOOD_PART + '  - id: "2"\n    type: choice\n    prompt: q\n    options: [A, B]\n    answer: B\n'
    first = make_spec(base)
    second = make_spec(base.replace("prompt: q", "prompt: changed"))
    assert first.part_fingerprints["1"] == second.part_fingerprints["1"]
    assert first.part_fingerprints["2"] != second.part_fingerprints["2"]
    assert first.fingerprint != second.fingerprint


def test_checker_error_has_line(make_spec):
    error = spec_error(make_spec, 'title: T\nparts:\n  - id: "1"\n    type: choice\n    prompt: p\n    options: [A, B]\n    answer: C\n')
    assert error.line == 7
    assert str(error).startswith(str(error.path))


def test_module_must_be_plain_python_file(make_spec):
    error = spec_error(make_spec, "title: T\nsubmission: {module: ../../etc/demo.py}\nparts:" + GOOD_PART)
    assert "file name of a Python module" in str(error)
    assert error.line == 2


def test_module_without_py_suffix(make_spec):
    error = spec_error(make_spec, "title: T\nsubmission: {module: demo}\nparts:" + GOOD_PART)
    assert "such as hw07.py" in str(error)


def test_unknown_default_option_names_defaults_line(make_spec):
    error = spec_error(make_spec, "title: T\ndefaults:\n  choice: {rtoll: 1}\nparts:" + GOOD_PART)
    assert "unknown option 'rtoll' for choice parts under 'defaults'" in str(error)
    assert error.line == 3


def test_reference_calling_exit_is_reported(make_spec):
    with pytest.raises(ReferenceError_, match="SystemExit"):
        make_spec("title: T\nreference: reference.py\nparts:" + GOOD_PART, reference="import sys\nsys.exit(0)\n")


def test_recursive_alias_in_spec(make_spec):
    error = spec_error(make_spec, "title: T\nloop: &x [*x]\nparts:" + GOOD_PART)
    assert "alias" in str(error)


def test_unquoted_yes_no_options(make_spec):
    error = spec_error(make_spec, 'title: T\nparts:\n  - id: "1"\n    type: choice\n    prompt: p\n    options: [Yes, No]\n    answer: "Yes"\n')
    assert "write each option in quotes" in str(error)


def test_numeric_options_become_labels(make_spec):
    problem_set = make_spec('title: T\nparts:\n  - id: "1"\n    type: choice\n    prompt: p\n    options: [1, 2, 3]\n    answer: 2\n')
    assert problem_set.checkers["1"].labels == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("limits", "key"),
    [
        ("{submission_seconds: .inf}", "submission_seconds"),
        ("{cpu_seconds: .nan}", "cpu_seconds"),
        ("{call_seconds: 1.0e+8}", "call_seconds"),
        ("{open_files: 100000000}", "open_files"),
        ("{memory_mb: 99999999999}", "memory_mb"),
    ],
)
def test_out_of_range_limits_name_the_line(make_spec, limits, key):
    error = spec_error(make_spec, f"title: T\nlimits: {limits}\nparts:" + GOOD_PART)
    assert key in str(error)
    assert error.line == 2
