"""Host runner: the test binary is a native program; run it as a process."""

from __future__ import annotations

from .base import Runner, RunOutcome, RunRequest
from .launch import Command
from .process import run_process


class HostRunner(Runner):
    name = "host"

    def check_available(self) -> None:
        """Nothing to install: the binary runs on this machine."""

    def run(self, request: RunRequest) -> RunOutcome:
        return run_process(Command((str(request.binary.resolve()),)), request)
