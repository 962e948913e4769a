"""QEMU's -d int,guest_errors log -> fault events, on logs recorded from qemu-system-arm 7.2."""

from __future__ import annotations

from pathlib import Path

from tflm_test.runners.base import RunnerEvent
from tflm_test.runners.qemu import QemuEventParser, QemuRunner
from tflm_test.targets import EmulatorSpec, Target, Tool


def events(path: Path) -> list[RunnerEvent]:
    parser = QemuEventParser()
    return [e for line in path.read_text().splitlines() if (e := parser(line)) is not None]


def test_bus_fault_names_handler_cause_and_address(recorded_logs: Path) -> None:
    assert events(recorded_logs / "qemu_cortexm3_bus_fault.qemu.log") == [
        RunnerEvent("fault", "HardFault (Data Abort: CFSR.PRECISERR, BFAR 0xe0100000)")]


def test_undefined_instruction_with_spinning_handler(recorded_logs: Path) -> None:
    assert events(recorded_logs / "qemu_cortexm3_hardfault_spin.qemu.log") == [
        RunnerEvent("fault", "HardFault (Undefined Instruction)")]


def test_semihosting_calls_are_not_faults() -> None:
    parser = QemuEventParser()
    log = ["Taking exception 16 [Semihosting call] on CPU 0", "...handling as semihosting call 0x4",
           "...taking pending nonsecure exception 3"]
    assert [parser(line) for line in log] == [None, None, None]


def test_lockup_is_reported() -> None:
    event = QemuEventParser()("Lockup: can't escalate 3 to HardFault (current priority -1)")
    assert event is not None and event.kind == "lockup"


def test_command_line() -> None:
    target = Target("t", "", "arm", True, Tool("cc", "gcc"),
                    (EmulatorSpec("qemu", machine="netduino2", cpu="cortex-m3", args=("-s",)),),
                    source=Path("t.yaml"))
    runner = QemuRunner(target, target.emulators[0], config=None)  # type: ignore[arg-type]
    argv = runner.command("/b/x.elf")
    assert argv[:5] == ["qemu-system-arm", "-M", "netduino2", "-cpu", "cortex-m3"]
    assert argv[-3:] == ["-s", "-kernel", "/b/x.elf"]
    assert "enable=on,target=native" in argv
    # relative to the run's work folder, where QEMU runs: a short socket path, any depth
    assert argv[argv.index("-D") + 1] == "qemu.log"
    assert argv[argv.index("-qmp") + 1] == "unix:qmp.sock,server=on,wait=off"


def test_version_is_asked_once_per_runner(monkeypatch) -> None:
    import subprocess as sp

    from tflm_test.runners import qemu

    calls = []

    def fake_run(argv, **kwargs):
        calls.append(argv)
        return sp.CompletedProcess(argv, 0, stdout="QEMU emulator version 7.2.22\n", stderr="")

    monkeypatch.setattr(qemu.subprocess, "run", fake_run)
    target = Target("t", "", "arm", True, Tool("cc", "gcc"), (EmulatorSpec("qemu"),),
                    source=Path("t.yaml"))
    runner = QemuRunner(target, target.emulators[0], config=None)  # type: ignore[arg-type]
    assert [runner.version() for _ in range(3)] == ["QEMU emulator version 7.2.22"] * 3
    assert len(calls) == 1


def test_a_v7m_usage_fault_is_a_fault(recorded_logs) -> None:
    # a BX to an even address: QEMU names the fault itself, no Undefined Instruction first
    parse = QemuEventParser()
    log = (recorded_logs / "formats" / "unity_crash.qemu.log").read_text().splitlines()
    events = [e for line in log if (e := parse(line)) is not None]
    assert [(e.kind, e.message) for e in events] == [
        ("fault", "HardFault (v7M INVSTATE UsageFault)")]
