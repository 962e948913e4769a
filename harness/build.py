"""The project's build -> its test binaries. The project file says how to build for a
target (an argv template) and where the binaries land (globs); this module runs the one,
lists the other, and turns a failure into one clear line."""

from __future__ import annotations

import logging
import re
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .errors import BuildFailed, ToolMissing
from .project import BadProject, Project, expand, find_binaries
from .runners.process import die_with_parent
from .targets import Target

log = logging.getLogger(__name__)

# ld: region `FLASH' overflowed by 1234 bytes
_OVERFLOW = re.compile(r"region [`']?(?P<region>\w+)'? overflowed by (?P<bytes>\d+) bytes")
# ld: ... will not fit in region `RAM'
_NOT_FIT = re.compile(r"(?P<file>\S+\.elf) section [`'](?P<section>\S+)' will not fit in region")
# tests/foo.c:12:5: error: expected ';' before '}' token      (not "-Werror" in a command line)
_ERROR = re.compile(r"^.*\berror: .*$", re.M)


def check_toolchain(target: Target, program: str, cwd: Path) -> None:
    """Raise ToolMissing when the board's compiler (naming its Debian package) or the build
    command's program (found on PATH, or from cwd when it names a path) is missing."""
    if target.toolchain is not None and shutil.which(target.toolchain.program) is None:
        raise ToolMissing(f"{target.toolchain.program} not found (needed to build for "
                          f"{target.name}); install the Debian package "
                          f"{target.toolchain.package} (ci/setup does)")
    if shutil.which(program if "/" not in program else str(cwd / program)) is None:
        raise ToolMissing(f"{program} not found: the build command for {target.name} runs it")


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


def run_build(argv: Sequence[str], cwd: Path, target: Target) -> str:
    """Run one build command (no shell) in cwd; returns its stdout.

    Raises:
        ToolMissing: the compiler or the command's program is missing.
        BuildFailed: it failed; the message is explain_failure's line.
    """
    check_toolchain(target, argv[0], cwd)
    log.debug("building: %s", shlex.join(argv))
    proc = subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True,
                          errors="replace", stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
    if proc.returncode != 0:
        raise BuildFailed(f"build for {target.name} failed: "
                          f"{explain_failure(proc.stdout + proc.stderr, target.name)}")
    return proc.stdout


def build_tests(project: Project, target: Target, jobs: int) -> list[Path]:
    """Build the project's test binaries for target (as its project file says) and list them.

    Raises:
        BadProject: the project file does not say how to build or where binaries land.
        ToolMissing, BuildFailed: as run_build; also when nothing matches the globs.
    """
    settings = project.settings(target.name)
    where = project.where()
    if not settings.binaries:
        raise BadProject(f"{where}: nothing says where the test binaries for {target.name} "
                         "land: give `binaries` (and `build`) in tflm-test.toml "
                         "(docs/project-file.md)")
    values = {"target": target.name, "jobs": jobs, "root": project.root}
    if settings.build is not None:
        run_build(expand(settings.build, values, f"{where}: build"), project.root, target)
    patterns = expand(settings.binaries, values, f"{where}: binaries")
    binaries = find_binaries(project.root, patterns)
    if not binaries:
        raise BuildFailed(f"the build for {target.name} made no test binaries: nothing "
                          f"matches {', '.join(patterns)} under {project.root}")
    return binaries
