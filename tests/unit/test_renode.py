"""Renode runner: command construction and parsing, on output recorded from Renode 1.13.3.

The console texts below are verbatim pexpect `before` strings (what the console showed between
sending a command and the next prompt) from renode-1.13.3 run with renode_argv(); the
tests/data/logs/bluepill_*.renode.log files are Renode's own logs (`logFile`) of the bluepill
fixtures, recorded by the runner itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test.errors import RunnerUnavailable
from tflm_test.runners.base import RunnerConfig, RunnerEvent
from tflm_test.runners.launch import LOCAL
from tflm_test.runners.renode import (
    RenodeRunner, clean_output, command_error, parse_hex_count, parse_log_line, parse_uart_time,
    parse_version,
    parse_virtual_time, renode_argv, script_commands)
from tflm_test.targets import EmulatorSpec, Target, Tool

BANNER = ("\x1b[?1h\x1b=\x1b[6n\x1b[H\x1b[2JRenode, version 1.13.3.38563 (-202611252125)"
          "\r\n\r\r\n\r")
VERSION_STDOUT = "Renode, version 1.13.3.38563 (-202611252125)\n"
INSTRUCTIONS = "sysbus.cpu ExecutedInstructions\r\n\r0x0000000000000B51\r\r\r\n"
VIRTUAL_TIME = ("machine ElapsedVirtualTime\r\n\r[Domain = Elapsed Virtual Time: 00:00:00.298100"
                "\r\r\nElapsed Host Time: 00:00:00.825450\r\r\nCurrent load: 4.75\r\r\n"
                "Cumulative load: 2.76695375335121\r\r\nState: WaitingForReportBack\r\r\n"
                "Advance immediately: False\r\r\nQuantum: 00:00:00.000100, "
                "TimeElapsed = 00:00:00.297900]\r\r\r\n")
START = "start\r\n\rStarting emulation...\r\r\n\r"
LOAD_OK = "include @/work/main/platforms/bluepill.resc\r\n\r"
NO_DEVICE = ("sysbus.cpu ExecutedInstructions\r\n\rNo such command or device: sysbus.cpu\r\r\n")
NO_SCRIPT = "include @/nonexistent.resc\r\n\rNo such file /nonexistent.resc.\r\r\n"
NO_ELF = ("sysbus LoadELF $bin\r\n\rThere was an error executing command 'sysbus LoadELF $bin'"
          "\r\r\nFile does not exist: /nonexistent.elf\r\r\n")
IN_SCRIPT = ("include @/work/main/platforms/bluepill.resc\r\n\rThere was an error executing "
             "command 'cpu.uartSemihosting CreateFileBackend $logfile true'\r\r\n"
             "No such variable: $logfile\r\r\n")
QUOTED = ('$bin=@"/tmp/rx/sp ace/pass.elf"\r\n\rCould not tokenize here:\r\r\n'
          '$bin=@"/tmp/rx/sp ace/pass.elf"\r\r\n                     ^\r\r\n')


def test_argv_is_headless_with_monitor_on_the_console() -> None:
    assert renode_argv("/opt/renode/renode") == [
        "/opt/renode/renode", "--disable-xwt", "--console", "--plain", "--hide-log"]


def test_script_commands_set_absolute_paths_then_include() -> None:
    assert script_commands("/p/bluepill.resc", "/b/pass.elf", "/w/pass.uart", "/w/pass.renode.log") == [
        "logFile @/w/pass.renode.log true", "$bin=@/b/pass.elf", "$logfile=@/w/pass.uart",
        "include @/p/bluepill.resc"]
    assert script_commands("/p/s.resc", "/b/x.elf", "/w/x.uart")[0] == "$bin=@/b/x.elf"


def test_script_commands_reject_paths_renode_cannot_tokenize() -> None:
    assert command_error(clean_output(QUOTED, '$bin=@"/tmp/rx/sp ace/pass.elf"')) is not None
    with pytest.raises(ValueError, match="whitespace"):
        script_commands("/p/s.resc", "/tmp/rx/sp ace/pass.elf", "/w/x.uart")


def test_clean_output_drops_echo_and_carriage_returns() -> None:
    assert clean_output(INSTRUCTIONS, "sysbus.cpu ExecutedInstructions") == "0x0000000000000B51"
    assert clean_output(START, "start") == "Starting emulation..."
    assert clean_output(LOAD_OK, "include @/work/main/platforms/bluepill.resc") == ""


@pytest.mark.parametrize("before, command, error", [
    (NO_DEVICE, "sysbus.cpu ExecutedInstructions", "No such command or device: sysbus.cpu"),
    (NO_SCRIPT, "include @/nonexistent.resc", "No such file /nonexistent.resc."),
    (NO_ELF, "sysbus LoadELF $bin", "There was an error executing command 'sysbus LoadELF $bin'"
                                    ": File does not exist: /nonexistent.elf"),
    (IN_SCRIPT, "include @/work/main/platforms/bluepill.resc",
     "There was an error executing command 'cpu.uartSemihosting CreateFileBackend $logfile "
     "true': No such variable: $logfile"),
])
def test_command_errors_are_recognised(before: str, command: str, error: str) -> None:
    assert command_error(clean_output(before, command)) == error


@pytest.mark.parametrize("before, command", [
    (INSTRUCTIONS, "sysbus.cpu ExecutedInstructions"), (START, "start"),
    (VIRTUAL_TIME, "machine ElapsedVirtualTime"), (LOAD_OK, "include @/work/main/platforms/bluepill.resc")])
def test_ordinary_answers_are_not_errors(before: str, command: str) -> None:
    assert command_error(clean_output(before, command)) is None


def test_counters_and_version() -> None:
    assert parse_hex_count(clean_output(INSTRUCTIONS, "sysbus.cpu ExecutedInstructions")) == 0xB51
    assert parse_hex_count(clean_output(NO_DEVICE, "sysbus.cpu ExecutedInstructions")) is None
    assert parse_virtual_time(VIRTUAL_TIME) == pytest.approx(0.2981)
    assert parse_virtual_time("[Domain = Elapsed Virtual Time: 01:02:03.5") == pytest.approx(3723.5)
    assert parse_version(VERSION_STDOUT) == "Renode, version 1.13.3.38563 (-202611252125)"
    assert parse_version(BANNER) == "Renode, version 1.13.3.38563 (-202611252125)"
    assert parse_version("cat (GNU coreutils) 9.1\n") is None


def events(path: Path) -> list[RunnerEvent]:
    return [e for line in path.read_text().splitlines() if (e := parse_log_line(line)) is not None]


def test_passing_run_has_no_events(recorded_logs: Path) -> None:
    assert events(recorded_logs / "bluepill_pass.renode.log") == []


def test_fault_exception_seen_on_the_nvic(recorded_logs: Path) -> None:
    fault = [RunnerEvent("fault", "UsageFault exception raised (nvic: Set pending IRQ 6)")]
    assert events(recorded_logs / "bluepill_hardfault_spin.renode.log") == fault
    # our handler reads HFSR/BFAR/MMFAR, which Renode's NVIC does not model: not a fault
    assert events(recorded_logs / "bluepill_hardfault.renode.log") == fault


def test_unmapped_access_is_a_fault(recorded_logs: Path) -> None:
    assert events(recorded_logs / "bluepill_bus_fault.renode.log") == [RunnerEvent(
        "fault", "ReadDoubleWord at unmapped address 0xE0100000 (non existing peripheral), "
                 "pc=0x8000062")]


def test_cpu_abort_is_a_fault(recorded_logs: Path) -> None:
    assert events(recorded_logs / "bluepill_renode_bad_jump.renode.log") == [
        RunnerEvent("fault", "ReadByte at unmapped address 0x30000000 (non existing peripheral), "
                             "pc=0x30000000"),
        RunnerEvent("fault", "CPU abort at pc=0x30000000: Trying to execute code outside RAM or "
                             "ROM at 0x30000000")]


def test_other_lines() -> None:
    assert parse_log_line("22:30:16.0257 [DEBUG] nvic: Set pending IRQ 15.") is None  # SysTick
    assert parse_log_line("22:30:50.7944 [WARNING] nvic: Unhandled read from offset 0xD2C.") is None
    assert parse_log_line("12:00:00.0000 [ERROR] usart1: something broke") == RunnerEvent(
        "emulator-error", "Renode error from usart1: something broke")


def runner(config: RunnerConfig, script: Path | None) -> RenodeRunner:
    target = Target("bluepill", "", "arm", False, Tool("cc", "gcc"), (), source=Path("b.yaml"))
    return RenodeRunner(target, EmulatorSpec("renode", script=script), config)


def test_missing_renode_says_how_to_provide_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(RunnerUnavailable, match="optional and user-provided.*--renode PATH or "
                                                "TFLM_TEST_RENODE"):
        runner(RunnerConfig(), None).check_available()


def test_named_renode_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(RunnerUnavailable, match=r"does not exist.*--renode PATH"):
        runner(RunnerConfig(renode=tmp_path / "renode"), None).check_available()


def test_debug_server_loads_the_script_and_waits_for_gdb_to_start_it(tmp_path: Path) -> None:
    script = tmp_path / "bluepill.resc"
    script.write_text("")
    server = runner(RunnerConfig(renode=Path("/opt/renode")), script).debug_server(
        LOCAL.open(tmp_path), tmp_path / "fail.elf", tmp_path / "w", 4242)
    w = tmp_path / "w"
    assert server.argv == ("/opt/renode", "--disable-xwt", "--console", "--plain",  # log shown
                           "-e", f"$bin=@{tmp_path}/fail.elf", "-e", f"$logfile=@{w}/uart.txt",
                           "-e", f"include @{script}", "-e", "machine StartGdbServer 4242")
    assert "start" not in server.argv  # halted until gdb's `monitor start`
    assert (server.gdb_start, server.stdin_open) == (("monitor start",), True)
    assert runner(RunnerConfig(), script).read_only_inputs() == (tmp_path,)
    with pytest.raises(RunnerUnavailable, match="whitespace"):
        runner(RunnerConfig(), script).debug_server(LOCAL.open(tmp_path),
                                                    tmp_path / "a b.elf", w, 4242)


def test_describe_names_the_script() -> None:
    assert runner(RunnerConfig(), Path("/p/bluepill.resc")).describe() == "renode bluepill.resc"


def test_uart_lines_carry_their_virtual_time(recorded_logs: Path) -> None:
    # one analyzer line per output line: case durations in Renode's own clock
    log = (recorded_logs / "bluepill_pass.renode.log").read_text().splitlines()
    times = [t for line in log if (t := parse_uart_time(line)) is not None]
    assert times == [0.0, 0.0, 0.0, 0.0]
    assert parse_uart_time("22:35:05.4520 [INFO] cpu.uartSemihosting: [host: 1.2s (+1ms)|virt: "
                           "12.5ms (+0.5ms)] Testing A") == pytest.approx(0.0125)
    assert parse_uart_time("03:27:32.4790 [DEBUG] cpu.uartSemihosting: [+0.22s host +0s virt "
                           "1.5s virt from start] Testing A") == pytest.approx(1.5)
    assert parse_uart_time("22:35:05.3806 [INFO] machine-0: Machine started.") is None
