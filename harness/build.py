"""make -> test binaries. The Makefile (reference_runtime/Makefile) is the build; this module
only calls it, lists what it built and turns its failures into one clear line."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

from .errors import BuildFailed, ToolMissing
from .targets import Target, Tool

log = logging.getLogger(__name__)

# ld: region `FLASH' overflowed by 1234 bytes
_OVERFLOW = re.compile(r"region [`']?(?P<region>\w+)'? overflowed by (?P<bytes>\d+) bytes")
# ld: ... will not fit in region `RAM'
_NOT_FIT = re.compile(r"(?P<file>\S+\.elf) section [`'](?P<section>\S+)' will not fit in region")
# tests/foo.c:12:5: error: expected ';' before '}' token      (not "-Werror" in a command line)
_ERROR = re.compile(r"^.*\berror: .*$", re.M)


def runtime_dir(root: Path) -> Path:
    return root / "reference_runtime"


def check_toolchain(target: Target) -> None:
    """Raise ToolMissing naming the Debian package when the compiler or make is missing."""
    for tool in (t for t in (target.toolchain, Tool("make", "make")) if t is not None):
        if shutil.which(tool.program) is None:
            raise ToolMissing(f"{tool.program} not found (needed to build for {target.name}); "
                              f"install the Debian package {tool.package} (ci/setup does)")


def explain_failure(output: str, target: str) -> str:
    """The one line that says why make failed, from its combined output."""
    if m := _OVERFLOW.search(output):
        fit = _NOT_FIT.search(output)
        what = Path(fit["file"]).name if fit else "a binary"
        return (f"{what} does not fit {target}: region {m['region']} overflowed by "
                f"{m['bytes']} bytes")
    errors = _ERROR.findall(output)
    if errors:
        return errors[0].strip()
    lines = [ln for ln in output.splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "make failed without output"


def make(root: Path, target: Target, goal: str, jobs: int = 2,
         extra: tuple[str, ...] = ()) -> str:
    """Run one make goal for target; returns make's stdout.

    Raises:
        ToolMissing: no compiler or make.
        BuildFailed: make failed; the message is explain_failure's line.
    """
    check_toolchain(target)
    argv = ["make", "-C", str(runtime_dir(root)), f"-j{jobs}", f"TARGET={target.name}",
            goal, *extra]
    log.debug("building: %s", " ".join(argv))
    proc = subprocess.run(argv, capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        raise BuildFailed(f"build for {target.name} failed: "
                          f"{explain_failure(proc.stdout + proc.stderr, target.name)}")
    return proc.stdout


def build_tests(root: Path, target: Target, jobs: int = 2) -> list[Path]:
    """Build every test binary of the runtime for target; returns their paths, sorted."""
    make(root, target, "tests", jobs)
    listed = make(root, target, "print-tests", 1, ("-s",))
    return sorted(runtime_dir(root) / line.strip() for line in listed.splitlines() if line.strip())
