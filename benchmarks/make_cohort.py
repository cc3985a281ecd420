"""Write N synthetic homework-7 submissions, the same for the same seed, with the variety of a real class.

Usage:

    python benchmarks/make_cohort.py OUT_DIR -n 1000 [--seed 7] [--hostile-each 2] [--slow-steps 20000]

Each student gets an ability between 0 and 1. Per part, an answer is left
out, right (in one of several notations), a common mistake, or unreadable
(a syntax error or an unknown name), with probabilities set by the ability.
A few submissions have problems with the whole answers file (empty, a YAML
syntax error, the alias answers.yml), come as a .zip file, sit in an LMS
wrapper folder, or are a corrupt archive.

The student module ``hw07.py`` is right (three implementations), wrong (four
common mistakes), slow, broken (syntax error, exception, missing function,
missing file) or crashing (os.abort). ``--hostile-each`` submissions of each
hostile kind are added: an infinite loop, a fork attempt, reading the
reference solution, and a flood of output.

``OUT_DIR/_cohort.json`` lists every submission with the kinds drawn for
it; the batch grader ignores that file. Nothing here runs student code.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Answers per part: right ones in several notations, common mistakes, and
# unreadable ones. YAML flow lists are written as they would be typed.
ANSWERS: dict[str, dict[str, list[str]]] = {
    "1.2.1": {
        "right": ["exp(-z)/(1+exp(-z))**2", "e^(-z) / (1 + e^(-z))^2", "exp(-z)/(1 + exp(-z))^2", "e**(-z)/(1+e**(-z))**2"],
        "mistake": ["-exp(-z)/(1 + exp(-z))**2", "1/(1 + exp(-z))", "exp(-z)/(1+exp(-z))", "exp(z)/(1+exp(z))**3"],
        "unreadable": ["exp(-z)/(1+exp(-z)**2", "sigma(z)(1-sigma(z))", "exp(-z)/(1+exp(-z))**"],
    },
    "1.2.2": {
        "right": ["o*(1-o)", "o - o^2", "o(1 - o)", "o - o**2", "-o^2 + o"],
        "mistake": ["o*(o-1)", "o^2", "1 - o"],
        "unreadable": ["o(1-o", "sigma(z)*(1 - sigma(z))"],
    },
    "1.2.3": {"right": ["1-a", "1 - a", "-a + 1"], "mistake": ["a", "a - 1"], "unreadable": ["1-α", "(1-a"]},
    "1.2.4": {"right": ["a", "a^1", "1*a"], "mistake": ["1-a", "a^2"], "unreadable": ["a^", "p(a)"]},
    "1.2.5": {
        "right": ["y*log(a) + (1-y)*log(1-a)", "y log(a) + (1 - y) log(1 - a)", "log(a^y (1 - a)^(1 - y))", "y*ln(a)+(1-y)*ln(1-a)"],
        "mistake": ["-(y*log(a) + (1 - y)*log(1 - a))", "y*log(a)", "log(a) + log(1-a)"],
        "unreadable": ["y*log(a + (1-y)*log(1-a)", "y*log(a) + (1-y)*lg(1-a)"],
    },
    "1.2.6": {
        "right": ["(a_1 - y)*x_1", "x1 a_1 - x_{1} y", "(a1 - y) x1", "x_1*(a_1-y)"],
        "mistake": ["(y - a_1)*x_1", "a_1 - y", "(a_1 - y)*x_1^2"],
        "unreadable": ["(a_1 - y)*x_1)", "diff(-y*log(a_1), a_1)"],
    },
    "1.2.7": {
        "right": ["(a_1 - y)*x", "a_1 x - y x", "x*(a_1-y)"],
        "mistake": ["(y - a_1)*x", "a_1 - y"],
        "unreadable": ["(a_1 - y)x)", "(a_1 - y)*X_vec", "(a_1 - y)*x_1"],
    },
    "2.1": {
        "right": ["[0.0900306, 0.2447285, 0.6652410]", "[0.09003057, 0.24472847, 0.66524096]", "[e^-1/(e^-1+1+e), 1/(e^-1+1+e), e/(e^-1+1+e)]"],
        "mistake": ["[0.33, 0.33, 0.33]", "[0.6652410, 0.2447285, 0.0900306]", "[0.2, 0.3, 0.5]"],
        "unreadable": ["[0.09, 0.24, 0.67", "0.09 0.24 0.67"],
    },
    "2.2": {
        "right": ["-log(0.2)", "ln(5)", "log(5)", "1.6094379", "-ln(1/5)"],
        "mistake": ["log(0.2)", "0.2", "-log(0.5)"],
        "unreadable": ["-log(0.2", "-lg(0.2)"],
    },
    "2.3": {
        "right": ["[[0.244728, -0.334759, 0.0900306], [0.244728, -0.334759, 0.0900306]]", "[[0.2447, -0.3348, 0.0900], [0.2447, -0.3348, 0.0900]]"],
        "mistake": ["[[0.2447, 0.2447], [-0.3348, -0.3348], [0.0900, 0.0900]]", "[[0, 0, 0], [0, 0, 0]]"],
        "unreadable": ["[[0.24, -0.33, 0.09], [0.24, -0.33]]", "[[0.24, -0.33, 0.09] [0.24, -0.33, 0.09]]"],
    },
    "2.4": {"right": ["0.66524096", "0.6652", "e/(1 + e + e^(-1))"], "mistake": ["0.24472847", "0.5", "0.0900306"], "unreadable": ["0,6652", "66.5%"]},
    "2.5": {
        "right": ["[[0.88, -0.83, -2.05], [-1.12, 2.17, 0.95]]", "[[0.8776, -0.8326, -2.045], [-1.1224, 2.1674, 0.955]]"],
        "mistake": ["[[1, -1, -2], [-1, 2, 1]]", "[[1.12, -1.17, -1.95], [-0.88, 1.83, 1.05]]"],
        "unreadable": ["[[0.88, -0.83, -2.05], [-1.12, 2.17]]"],
    },
    "2.6": {"right": ["0.7725", "0.7733", "0.77245284"], "mistake": ["0.6652", "0.5"], "unreadable": ["0.77.25"]},
    "3.1": {
        "right": ["v_0 + v_1*w_01 + v_2*w_02", "w_{01} v_1 + v_0 + v_2 w_{02}", "v0 + v1 w01 + v2 w02"],
        "mistake": ["v_0 + v_1*w_11 + v_2*w_12", "v_1*w_01 + v_2*w_02"],
        "unreadable": ["v_0 + v_1*w_01 + v_2*w_02)", "v_0 + v_1 * w_0,1"],
    },
    "3.2": {"right": ["v_1*w_11 + v_2*w_12", "w11*v1 + w12*v2"], "mistake": ["v_1*w_11 + v_2*w_21", "w_11 + w_12"], "unreadable": ["v_1*w_11 + v_2*w_1 2)"]},
    "3.3": {"right": ["v_1*w_21 + v_2*w_22", "v_2 w_22 + w_21 v_1"], "mistake": ["v_1*w_12 + v_2*w_22"], "unreadable": ["v_1 w_21 +"]},
    "4.1.1": {"right": ["[2, 13, 0, 0]", "[2.0, 13.0, 0.0, 0.0]"], "mistake": ["[3, 14, 0, 0]", "[2, 13, -4, -15]"], "unreadable": ["[2, 13, 0, 0"]},
    "4.1.2": {"right": ['["e^15/(e^15 + 1)", "1/(e^15 + 1)"]', "[9.99999694e-01, 3.05902227e-07]", "[1, 0]"], "mistake": ["[0.5, 0.5]", "[0, 1]"], "unreadable": ["[1; 0]"]},
    "4.2.1": {"right": ["Line", "line", "LINE"], "mistake": ["Circle", "Point"], "unreadable": ["a line", "straight"]},
    "4.2.2": {
        "right": ["[[1, 1, 1, 1], [0, 1, 2, 3]]", "[[1,1,1,1],[-5, 0, 0.5, 100]]", "[[1, 1, 1, 1], [1, 2, 3, 4]]"],
        "mistake": ["[[0, 1, 2, 3], [1, 1, 1, 1]]", "[[1, 1, 1, 1], [1, 1, 1, 1]]"],
        "unreadable": ["[[1, 1, 1, 1], [0, 1, 2]]"],
    },
    "4.2.3": {"right": ["[[0, 0, 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]]"], "mistake": ["[[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]]"], "unreadable": ["[[0, 0, 0], [0, 1, 0], [0, 0, 2]"]},
    "4.3.1a": {"right": ["1/(1 + e**2)", "(1 + e²)^(-1)", "0.11920292", "1/(1+e^2)"], "mistake": ["e^2/(1+e^2)", "0.5"], "unreadable": ["1/(1+e^2", "1/(1+exp2)"]},
    "4.3.1b": {"right": ["e**2/(1+e**2)", "1 - 1/(1 + e^2)", "0.88079708"], "mistake": ["1/(1+e^2)", "0.5"], "unreadable": ["e^2/(1+e^2))"]},
    "4.3.1c": {"right": ["Class 2", "class 2", "2"], "mistake": ["Class 1", "Boundary"], "unreadable": ["second"]},
    "4.3.2a": {"right": ["1/2", "0.5", "e^0/(e^0+e^0)"], "mistake": ["1", "0"], "unreadable": ["1/"]},
    "4.3.2b": {"right": ["1/2", "0.5"], "mistake": ["1", "0.25"], "unreadable": ["half"]},
    "4.3.2c": {"right": ["Boundary", "tie", "neither"], "mistake": ["Class 1", "Class 2"], "unreadable": ["both"]},
    "4.3.3a": {"right": ["e**3/(e**3+1)", "1/(1 + e^(-3))", "0.95257413"], "mistake": ["e**4/(e**4 + 1)", "0.98201379", "1/(e**3+1)"], "unreadable": ["e**3/(e**3+1"]},
    "4.3.3b": {"right": ["1/(e**3+1)", "e^(-3)/(1 + e^(-3))", "0.04742587"], "mistake": ["1/(e^4+1)", "0.01798621", "e**3/(e**3+1)"], "unreadable": ["1/(e**3+1"]},
    "4.3.3c": {"right": ["Class 1", "Class1", "1"], "mistake": ["Class 2"], "unreadable": ["first"]},
    "4.4.1a": {"right": ["Region", "region"], "mistake": ["Curve"], "unreadable": ["area"]},
    "4.4.1b": {
        "right": ["[[1, 1], [-1, 1], [-1, -1], [1, -1]]", "[[-1, -1], [1, -1], [1, 1], [-1, 1]]", "[[-1, -1], [0, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]"],
        "mistake": ["[[2, 0], [0, 2], [-2, 0], [0, -2]]", "[[1, 1], [-1, -1], [-1, 1], [1, -1]]"],
        "unreadable": ["[[1, 1], [-1, 1], [-1, -1], [1]]"],
    },
    "4.4.1c": {"right": ["Class 2", "2"], "mistake": ["Class 1"], "unreadable": ["3"]},
    "4.4.1d": {"right": ["Class 2", "class 2"], "mistake": ["Class 1"], "unreadable": ["outside"]},
    "4.4.2a": {"right": ["Curve", "curve"], "mistake": ["Region"], "unreadable": ["line"]},
    "4.4.2b": {
        "right": ["[[2, 1], [1, 2], [-1, 2], [-2, 1], [-2, -1], [-1, -2], [1, -2], [2, -1]]", "[[-1, -2], [1, -2], [2, -1], [2, 1], [1, 2], [-1, 2], [-2, 1], [-2, -1]]"],
        "mistake": ["[[2, 0], [0, 2], [-2, 0], [0, -2]]", "[[1, 1], [-1, 1], [-1, -1], [1, -1]]"],
        "unreadable": ["[[2, 1], [1, 2], [-1, 2], [-2, 1], [-2, -1], [-1, -2], [1, -2], [2]]"],
    },
    "4.4.2c": {"right": ["Class 2", "2"], "mistake": ["Class 1"], "unreadable": ["inside"]},
    "4.4.2d": {"right": ["Class 1", "1"], "mistake": ["Class 2"], "unreadable": ["one"]},
    "4.4.3a": {"right": ["Curve"], "mistake": ["Region"], "unreadable": ["loop"]},
    "4.4.3b": {
        "right": ["[[4, 1], [1, 4], [-1, 4], [-4, 1], [-4, -1], [-1, -4], [1, -4], [4, -1]]", "[[1, -4], [-1, -4], [-4, -1], [-4, 1], [-1, 4], [1, 4], [4, 1], [4, -1]]"],
        "mistake": ["[[3, 1], [1, 3], [-1, 3], [-3, 1], [-3, -1], [-1, -3], [1, -3], [3, -1]]"],
        "unreadable": ["[[4, 1], [1, 4], [-1, 4]"],
    },
    "4.4.3c": {"right": ["Class 1"], "mistake": ["Class 2"], "unreadable": ["?"]},
    "4.4.3d": {"right": ["Class 1", "class 1"], "mistake": ["Class 2"], "unreadable": ["same"]},
    "5.A.i": {"right": ["[6]", "6"], "mistake": ["[1]", "[6, 1]"], "unreadable": ["[six]"]},
    "5.A.ii": {"right": ["[1]", "1"], "mistake": ["[5]", "[1, 5]"], "unreadable": ["[one]"]},
    "5.A.iii": {"right": ["[5]"], "mistake": ["[1]", "[5, 6]"], "unreadable": ["[five]"]},
    "5.B.i": {"right": ["[6]"], "mistake": ["[2]"], "unreadable": ["[6.5]"]},
    "5.B.ii": {"right": ["[2]"], "mistake": ["[6]", "[2, 6]"], "unreadable": ["[2, x]"]},
    "5.B.iii": {"right": ["[6]"], "mistake": ["[2, 6]", "[2]"], "unreadable": ["[six]"]},
    "5.B.v": {"right": ["[5, 7]", "[7, 5]", "7, 5"], "mistake": ["[7]", "[5]"], "unreadable": ["[5, seven]"]},
    "5.B.vi": {"right": ["[]"], "mistake": ["[6]", "[2]"], "unreadable": ["none"]},
    "5.C.i": {"right": ["[3]"], "mistake": ["[4]"], "unreadable": ["[three]"]},
    "5.C.ii": {"right": ["[6, 8]", "8, 6"], "mistake": ["[8]", "[6]"], "unreadable": ["[6, eight]"]},
    "5.D.i": {"right": ["[4]"], "mistake": ["[3]"], "unreadable": ["[four]"]},
    "5.D.ii": {"right": ["[6, 9]", "[9, 6]"], "mistake": ["[9]", "[6]"], "unreadable": ["[six, nine]"]},
}

# Implementations of linear_hinge_grad(x, y, a), by kind.
CODE: dict[str, list[str]] = {
    "right": [
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    if y * a > 1:\n        return np.zeros_like(x, dtype=float)\n    return -y * x\n",
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    x = np.asarray(x, dtype=float).reshape(-1, 1)\n    return np.where(y * a > 1, 0.0, -y) * x\n",
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    \"\"\"Gradient of the hinge loss with respect to w.\"\"\"\n    if y * a <= 1:\n        return -y * x\n    return np.zeros((x.shape[0], 1))\n",
    ],
    "wrong": [
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    if y * a > 0:\n        return np.zeros_like(x, dtype=float)\n    return -y * x\n",
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    if y * a > 1:\n        return np.zeros_like(x, dtype=float)\n    return y * x\n",
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    if y * a > 1:\n        return np.zeros(x.shape[0])\n    return (-y * x).ravel()\n",
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    return np.zeros_like(x, dtype=float)\n",
    ],
    # Right, but with a pointless Python loop of SLOW_STEPS_PLACEHOLDER steps per call.
    "slow": [
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    total = 0.0\n    for i in range(SLOW_STEPS_PLACEHOLDER):\n        total += i * 1e-12\n    if y * a > 1:\n        return np.zeros_like(x, dtype=float)\n    return -y * x + total * 0\n",
    ],
    "syntax error": ["import numpy as np\n\n\ndef linear_hinge_grad(x, y, a)\n    if y * a > 1:\n        return np.zeros_like(x)\n    return -y * x\n"],
    "exception": [
        "import numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n    if y * a > 1:\n        return np.zeros_like(x)\n    return -y * x @ x\n",
        "def linear_hinge_grad(x, y, a):\n    return -y * X\n",
    ],
    "missing function": ["import numpy as np\n\n\ndef hinge_gradient(x, y, a):\n    return -y * x\n"],
    "crash": ["import os\n\n\ndef linear_hinge_grad(x, y, a):\n    os.abort()\n"],
}

HOSTILE: dict[str, str] = {
    "infinite loop": "def linear_hinge_grad(x, y, a):\n    while True:\n        pass\n",
    "fork attempt": (
        "import os\n\nimport numpy as np\n\n\ndef linear_hinge_grad(x, y, a):\n"
        "    for _ in range(50):\n        try:\n            if os.fork() == 0:\n                os._exit(0)\n"
        "        except OSError:\n            break\n"
        "    return np.zeros_like(x, dtype=float) if y * a > 1 else -y * x\n"
    ),
    "read reference": (
        "import numpy as np\n\nPLACES = ['/work/main/reference/hw07.py', '../reference/hw07.py', '../../reference/hw07.py', '/reference/hw07.py']\n\n\n"
        "def linear_hinge_grad(x, y, a):\n    for place in PLACES:\n        try:\n            with open(place) as handle:\n"
        "                namespace = {}\n                exec(handle.read(), namespace)\n                return namespace['linear_hinge_grad'](x, y, a)\n"
        "        except OSError:\n            continue\n    return np.ones_like(x, dtype=float)\n"
    ),
    "huge output": (
        "import numpy as np\n\nprint('x' * 5_000_000)\n\n\ndef linear_hinge_grad(x, y, a):\n    print('y' * 1_000_000)\n"
        "    return np.zeros_like(x, dtype=float) if y * a > 1 else -y * x\n"
    ),
}

CODE_WEIGHTS = {"right": 55, "wrong": 25, "slow": 3, "syntax error": 4, "exception": 5, "missing function": 2, "crash": 1, "missing file": 5}
UNREADABLE_SHARE = 0.12
MISSING_SHARE = 0.04
SKIPPED_SECTION_SHARE = 0.05

FILE_PROBLEMS = {
    "zip": 0.02,
    "lms wrapper": 0.01,
    "corrupt zip": 0.002,
    "empty answers": 0.005,
    "yaml syntax error": 0.01,
    "answers.yml": 0.005,
}


@dataclass
class Student:
    """The kinds of answers and code drawn for one synthetic student."""

    name: str
    ability: float
    code: str
    layout: str = "folder"
    answer_kinds: Counter[str] = field(default_factory=Counter)
    part_kinds: dict[str, str] = field(default_factory=dict)


# A slow student's loop: 20,000 steps take about 1 ms per call on the benchmark
# machine, a thousand times the vectorized answer. That is slower than any
# plausible loop over a gradient of at most five entries; --slow-steps 200000
# (about 10 ms per call, 250 ms per submission) models a far slower class.
DEFAULT_SLOW_STEPS = 20_000


def make_cohort(
    out_dir: Path, count: int, seed: int, hostile_each: int, slow_steps: int = DEFAULT_SLOW_STEPS
) -> list[Student]:
    """Write ``count`` submissions plus ``hostile_each`` of each hostile kind into ``out_dir``."""
    rng = random.Random(seed)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)

    hostile = [kind for kind in HOSTILE for _ in range(hostile_each)]
    hostile_slots = dict(zip(rng.sample(range(count), min(len(hostile), count)), hostile))

    students: list[Student] = []
    for index in range(count):
        name = f"s{index + 1:05d}"
        ability = rng.betavariate(5, 2)
        if index in hostile_slots:
            kind = hostile_slots[index]
            code_kind, source = f"hostile: {kind}", HOSTILE[kind]
        else:
            code_kind = rng.choices(list(CODE_WEIGHTS), weights=list(CODE_WEIGHTS.values()))[0]
            source = "" if code_kind == "missing file" else rng.choice(CODE[code_kind])
            source = source.replace("SLOW_STEPS_PLACEHOLDER", f"{slow_steps:_}")
        student = Student(name, round(ability, 3), code_kind)
        answers_text = _answers_text(rng, ability, student)
        _write_submission(rng, out_dir, student, answers_text, source)
        students.append(student)

    manifest = [
        {
            "name": s.name,
            "ability": s.ability,
            "code": s.code,
            "layout": s.layout,
            "answers": dict(s.answer_kinds),
            "parts": s.part_kinds,
        }
        for s in students
    ]
    (out_dir / "_cohort.json").write_text(json.dumps({"seed": seed, "submissions": manifest}, indent=1) + "\n", encoding="utf-8")
    return students


def _answers_text(rng: random.Random, ability: float, student: Student) -> str:
    skipped_section = "4.4" if rng.random() < SKIPPED_SECTION_SHARE else None
    lines = [f"# Homework 7 answers of {student.name}"]
    for part_id, pools in ANSWERS.items():
        if (skipped_section and part_id.startswith(skipped_section)) or rng.random() < MISSING_SHARE:
            student.answer_kinds["missing"] += 1
            student.part_kinds[part_id] = "missing"
            continue
        if rng.random() < ability:
            kind = "right"
        else:
            kind = "unreadable" if rng.random() < UNREADABLE_SHARE else "mistake"
        student.answer_kinds[kind] += 1
        student.part_kinds[part_id] = kind
        lines.append(f"{_key(part_id)}: {_scalar(rng.choice(pools[kind]))}")
    return "\n".join(lines) + "\n"


def _key(part_id: str) -> str:
    """Quote a part id that YAML would read as a number (like 2.1), as the answers template does."""
    try:
        float(part_id)
    except ValueError:
        return part_id
    return f'"{part_id}"'


def _scalar(text: str) -> str:
    """Write an answer as a student would: lists bare, other text quoted when YAML needs it."""
    if text.startswith("[") and text.endswith("]"):
        return text
    if text.startswith(("[", "{", "*", "&", "!", "|", ">", "'", '"', "%", "@", "`")) or ": " in text or " #" in text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _write_submission(rng: random.Random, out_dir: Path, student: Student, answers: str, source: str) -> None:
    files: dict[str, str] = {}
    answers_name = "answers.yaml"
    problem = next((kind for kind, share in FILE_PROBLEMS.items() if rng.random() < share), None)
    if problem == "empty answers":
        answers = "# nothing answered yet\n"
    elif problem == "yaml syntax error":
        answers += "4.2.1: Line: or circle\n"
    elif problem == "answers.yml":
        answers_name = "answers.yml"
    files[answers_name] = answers
    if source:
        files["hw07.py"] = source

    if problem in ("zip", "corrupt zip"):
        student.layout = problem
        archive = out_dir / f"{student.name}.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
            for file_name, text in sorted(files.items()):
                info = zipfile.ZipInfo(f"{student.name}/{file_name}", date_time=(2024, 1, 1, 0, 0, 0))
                handle.writestr(info, text)
        if problem == "corrupt zip":
            data = archive.read_bytes()
            archive.write_bytes(data[: len(data) // 2])
        return

    folder = out_dir / student.name
    if problem == "lms wrapper":
        student.layout = problem
        folder = folder / f"{student.name}_attempt_2024-01-01"
    elif problem is not None:
        student.layout = problem
    folder.mkdir(parents=True)
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to create (its old content is deleted)")
    parser.add_argument("-n", "--count", type=int, default=1000, help="number of submissions (default: 1000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    parser.add_argument("--hostile-each", type=int, default=2, help="submissions per hostile kind (default: 2)")
    parser.add_argument(
        "--slow-steps",
        type=int,
        default=DEFAULT_SLOW_STEPS,
        help=f"loop steps per call in slow submissions (default: {DEFAULT_SLOW_STEPS}, about 1 ms per call)",
    )
    args = parser.parse_args(argv)
    students = make_cohort(args.out_dir, args.count, args.seed, args.hostile_each, args.slow_steps)
    codes = Counter(student.code for student in students)
    layouts = Counter(student.layout for student in students)
    print(f"wrote {len(students)} submissions to {args.out_dir}", file=sys.stderr)
    print(f"code: {dict(sorted(codes.items()))}", file=sys.stderr)
    print(f"layout: {dict(sorted(layouts.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
