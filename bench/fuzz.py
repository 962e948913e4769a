#!/usr/bin/env python3
"""Fuzzing throughput and outcomes: the seeded mutation driver for 10,000 cases and libFuzzer
for 10,000 runs, both ASan + UBSan builds (reference_runtime/fuzz/) seeded with the shipped
models. Prints cases/s and how many cases ended in each tm_status; no timed assertion.
A sanitizer report ends the driver, which then goes on from the next case: the report and
the saved input (tflm-test-out/bench-fuzz/) are printed, and the exit status is 1.

Usage: .venv/bin/python bench/fuzz.py [--cases N] [--seed S]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "reference_runtime"
FUZZ = RUNTIME / "gen" / "fuzz"
# cases: 10000 in 7.02 s (1424 cases/s)
_CASES = re.compile(r"^cases: (\d+) in ([\d.]+) s", re.M)
# histogram: TM_OK=2905 TM_ERR_ARG=0 ...
_HISTOGRAM = re.compile(r"^histogram:(.*)$", re.M)
# phases: init=7047 prepare=48 invoke=2905
_PHASES = re.compile(r"^phases:(.*)$", re.M)
# Done 10000 runs in 4 second(s)
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
# #10000	DONE   cov: 776 ft: 1738 corp: 81/492Kb ... exec/s: 2500 rss: 62Mb
_FINAL = re.compile(r"DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)/\S+ .*?exec/s: (\d+)")
# mutate_models: case 6443 (seed 1) crashed; input saved to crash-1-6443.tflite; ...
_CRASHED = re.compile(r"^mutate_models: case (\d+) \(seed \d+\) crashed", re.M)
_REPORT = re.compile(r"^==\d+== ?ERROR: .*|^\S+:\d+:\d+: runtime error: .*"
                     r"|^fuzz_model: arena guard damaged.*|^mutate_models: .*crashed.*", re.M)


def build() -> None:
    subprocess.run(["make", "-C", str(RUNTIME), "-j2", "fuzz"], check=True, capture_output=True)


def report_crash(name: str, output: str) -> None:
    print(f"{name}: SANITIZER REPORT OR CRASH")
    for line in _REPORT.findall(output):
        print(f"  {line}")


@dataclass
class Tally:
    """What the mutation driver's runs added up to."""

    cases: int = 0
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    phases: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)  # the first report line of each

    def cases_per_s(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0

    def add(self, stdout: str) -> None:
        if m := _CASES.search(stdout):
            self.cases += int(m[1])
            self.seconds += float(m[2])
        for regex, counter in ((_HISTOGRAM, self.statuses), (_PHASES, self.phases)):
            if m := regex.search(stdout):
                counter.update({k: int(v) for k, v in (kv.split("=") for kv in m[1].split())})


def run_driver(seed: int, start: int, end: int, workdir: Path) -> subprocess.CompletedProcess[str]:
    seeds = sorted(str(p) for p in (RUNTIME / "tests" / "models").glob("*.tflite"))
    return subprocess.run([str(FUZZ / "mutate_models"), f"-seed={seed}", f"-start={start}",
                           str(end), *seeds], capture_output=True, text=True, cwd=workdir)


def mutation_chunks(cases: int, seed: int, workdir: Path) -> Tally:
    """Cases [0, cases). A crash ends the driver before its histogram, so the cases before
    the crash run again (cases are independent functions of seed and number) and the run
    goes on after it. Crash inputs stay in workdir."""
    tally, start = Tally(), 0
    while start < cases:
        proc = run_driver(seed, start, cases, workdir)
        if proc.returncode == 0:
            tally.add(proc.stdout)
            break
        crashed = _CRASHED.search(proc.stderr)
        reports = _REPORT.findall(proc.stderr)
        tally.crashes.append(reports[0] if reports else f"exit {proc.returncode}")
        if crashed is None:  # no case number: cannot resume
            report_crash("mutate_models", proc.stdout + proc.stderr)
            break
        if int(crashed[1]) > start:
            tally.add(run_driver(seed, start, int(crashed[1]), workdir).stdout)
        start = int(crashed[1]) + 1
    return tally


def mutation(cases: int, seed: int, workdir: Path) -> bool:
    """The standalone driver; True when it ran clean."""
    start = time.monotonic()
    tally = mutation_chunks(cases, seed, workdir)
    wall = time.monotonic() - start
    total = tally.cases + len(tally.crashes)
    print(f"mutate_models: {total} cases in {wall:.2f} s wall (seed {seed}; the driver's own "
          f"figure, without restarts: {tally.cases_per_s():.0f} cases/s)")
    for status, count in tally.statuses.items():
        print(f"  {status:<20}{count:>7}  {100 * count / max(total, 1):5.1f}%")
    print(f"  {'CRASH (sanitizer)':<20}{len(tally.crashes):>7}  "
          f"{100 * len(tally.crashes) / max(total, 1):5.1f}%")
    print("  final status from phase: " + " ".join(f"{k}={v}" for k, v in tally.phases.items()))
    for line in sorted(set(tally.crashes)):
        print(f"  crash: {line}")
    if tally.crashes:
        print(f"  crash inputs: {workdir}/crash-*.tflite (rerun: gen/fuzz/mutate_models -repro F)")
    return not tally.crashes


def libfuzzer(runs: int, seed: int, workdir: Path) -> bool:
    """libFuzzer, from the seed corpus into a scratch corpus; True when it ran clean."""
    corpus = workdir / "corpus"
    corpus.mkdir()
    start = time.monotonic()
    proc = subprocess.run([str(FUZZ / "fuzz_model"), f"-runs={runs}", f"-seed={seed}",
                           f"-artifact_prefix={workdir}/", str(corpus),
                           str(RUNTIME / "tests" / "models")],
                          capture_output=True, text=True, cwd=workdir)
    wall = time.monotonic() - start
    if proc.returncode != 0 or _REPORT.search(proc.stderr):
        report_crash("fuzz_model (libFuzzer)", proc.stderr)
        return False
    done, final = _DONE.search(proc.stderr), _FINAL.search(proc.stderr)
    executed = int(done[1]) if done else runs
    print(f"libFuzzer: {executed} runs in {wall:.2f} s wall = {executed / wall:.0f} runs/s "
          f"(seed {seed})")
    if final:
        print(f"  coverage {final[1]} edges, {final[2]} features, corpus grew to {final[3]} "
              f"inputs, exec/s {final[4]} (libFuzzer's own figure)")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    build()
    out = ROOT / "tflm-test-out" / "bench-fuzz"  # crash inputs are kept here
    shutil.rmtree(out, ignore_errors=True)
    (out / "mutate").mkdir(parents=True)
    (out / "libfuzzer").mkdir()
    ok = mutation(args.cases, args.seed, out / "mutate")
    if shutil.which("clang") is None:
        print("libFuzzer: skipped (clang not installed)")
    else:
        ok = libfuzzer(args.cases, args.seed, out / "libfuzzer") and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
