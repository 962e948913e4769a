"""Fake runners for pipeline tests: they write a scripted log instead of running anything."""

from __future__ import annotations

from pathlib import Path

from tflm_test.errors import RunnerUnavailable
from tflm_test.runners.base import Runner, RunOutcome, RunRequest
from tflm_test.targets import EmulatorSpec, Target, Tool


class ScriptedRunner(Runner):
    """Writes `lines` (per binary stem) to the log and returns `exit_code`."""

    name = "scripted"
    scripts: dict[str, list[str]] = {}
    unavailable: str | None = None
    created = 0
    closed = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        type(self).created += 1

    def check_available(self) -> None:
        if self.unavailable:
            raise RunnerUnavailable(self.unavailable)

    def run(self, request: RunRequest) -> RunOutcome:
        lines = self.scripts.get(request.binary.stem, [])
        request.log_path.write_text("".join(line + "\n" for line in lines))
        stopped = any(request.stop_on(line) for line in lines) and not self.target.can_exit
        return RunOutcome(exit_code=None if stopped else 0, timed_out=False, stopped=stopped,
                          duration_s=0.01, extras={"executed_instructions": 42})

    def close(self) -> None:
        type(self).closed += 1


def make_target(name: str = "board", can_exit: bool = False,
                runners: tuple[str, ...] = ("renode", "qemu")) -> Target:
    return Target(name, "a board", "arm", can_exit, Tool("cc", "gcc"),
                  tuple(EmulatorSpec(r, machine="m" if r == "qemu" else None) for r in runners),
                  source=Path(f"{name}.yaml"))


def binary(tmp_path: Path, stem: str) -> Path:
    path = tmp_path / f"{stem}.elf"
    path.write_bytes(b"")
    return path
