"""`tflm-test profile`: guest instructions per operator of one model on an emulated target.

    model -> checks (ops, fits) -> one seeded random case -> the verify program, built with
    the profiling hooks ([profile] in the project file), once per kernel set -> a run on the
    target's QEMU with the hooks' addresses as marks -> the count at every hook -> ProfileReport

Built with TM_PROFILE, the runtime calls tm_profile_op_begin(i)/tm_profile_op_end(i) around
each operator's invoke and the program calls tm_profile_invoke_begin/end around
tm_interp_invoke (include/tm_profile.h); the instruction counter (runners/icount.c) records
the count at each arrival at them, in order. Turning those counts into per-operator figures
(op_counts) and the MACs from the model's shapes (op_shapes) are pure functions.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from .elf import symbol_addresses
from .reports.files import ReportUnwritable, write_report
from .reports.profile_report import json_text
from .errors import ExitCode, TflmTestError
from .golden import GoldenCase
from .oracle import random_cases
from .pipeline import Events, RunOptions, load_targets, plan_targets
from .project import BadProject, Project, VerifySettings
from .results import BinaryResult, Verdict
from .runners.icount import MARKS
from .session import Job, RunSettings, TargetPlan, prepare_out_dir, run_jobs
from .targets import EmulatorKind
from .tflite_model import ModelInfo, OperatorInfo
from .verify import (Sizes, check_fits, check_io, kernels_for, load_model, printed_outputs,
                     program_sizes, reject_on_target)
from .verify_app import (AppBuild, AppCase, AppSpec, BuiltApp, Kernel, build_apps, locked,
                         supported_kernels)

# The hooks' symbols, in the order HookAddresses takes them (include/tm_profile.h).
HOOKS = ("tm_profile_invoke_begin", "tm_profile_op_begin", "tm_profile_op_end",
         "tm_profile_invoke_end")


class KernelSet(StrEnum):
    """The runtime's kernel sets ({kernels} in the [profile] build)."""

    REFERENCE = "reference"
    OPTIMIZED = "optimized"


# --kernels: a set, or both side by side (reference first: ratios are reference/optimized).
KERNEL_CHOICES: Mapping[str, tuple[KernelSet, ...]] = {
    "reference": (KernelSet.REFERENCE,), "optimized": (KernelSet.OPTIMIZED,),
    "both": (KernelSet.REFERENCE, KernelSet.OPTIMIZED)}
DEFAULT_KERNELS = "optimized"  # the Cortex-M default set


class ProfileFailed(TflmTestError):
    """The profiled program did not run through one invoke (crash, timeout, failed case),
    or its hooks were not reached once around each operator: no figures."""

    exit_code = ExitCode.NOT_ALL_PASSED


class NotCounted(TflmTestError):
    """The target's runner counts no instructions at addresses (host, Renode, no plugin)."""


@dataclass(frozen=True)
class ProfileConfig:
    """Every option of `tflm-test profile`, defined once; cli.py reads its defaults here."""

    model: Path
    target: str = "qemu_cortexm3"  # the host has no instruction counter
    kernels: tuple[KernelSet, ...] = KERNEL_CHOICES[DEFAULT_KERNELS]
    json: Path | None = None
    seed: int = 0  # of the random input (instruction counts barely depend on it)
    options: RunOptions = RunOptions()


@dataclass(frozen=True)
class OpShape:
    """One operator as the model describes it."""

    index: int
    op: str  # CONV_2D
    inputs: tuple[tuple[int, ...], ...]  # every input tensor's shape, constants included
    outputs: tuple[tuple[int, ...], ...]
    macs: int  # multiply-accumulates of one invoke; 0 for ops that do none (see macs())


@dataclass(frozen=True)
class HookAddresses:
    invoke_begin: int
    op_begin: int
    op_end: int
    invoke_end: int


@dataclass(frozen=True)
class Counts:
    """One invoke's guest instructions: per operator (from its begin hook to its end hook:
    the kernel and its dispatch), and the whole invoke (from the call to the return)."""

    ops: tuple[int, ...]
    invoke: int

    @property
    def interpreter(self) -> int:
        """What the invoke spent outside the operators: its loop, checks and the hooks."""
        return self.invoke - sum(self.ops)


@dataclass(frozen=True)
class KernelRun:
    """One kernel set's program and its figures."""

    kernels: KernelSet
    counts: Counts
    arena_used: int | None  # after prepare, as the program printed it
    arena_size: int
    sizes: Sizes  # flash split into code, model and input data; RAM; the board's limits
    elf: Path
    log: Path | None
    arena_persistent: int | None = None  # of arena_used, when the program printed it


@dataclass(frozen=True)
class ProfileReport:
    model: Path
    target: str
    runner: str
    ops: tuple[OpShape, ...]
    runs: tuple[KernelRun, ...]  # in ProfileConfig.kernels order

    def run(self, kernels: KernelSet) -> KernelRun | None:
        return next((r for r in self.runs if r.kernels is kernels), None)


# ---- pure: MACs from the model, counts from the marks ----

def _shape(model: ModelInfo, index: int) -> tuple[int, ...]:
    return model.tensors[index].shape if 0 <= index < len(model.tensors) else ()


def _elements(shape: Sequence[int]) -> int:
    return math.prod(max(dim, 0) for dim in shape)


def _lstm_macs(model: ModelInfo, op: OperatorInfo) -> int:
    """UNIDIRECTIONAL_SEQUENCE_LSTM: every step of every batch multiplies the input by the
    four input weight matrices (inputs 1-4), the output state by the four recurrent ones
    (5-8) and, when there is one, the cell state by the projection (16)."""
    x = _shape(model, op.inputs[0])
    steps = _elements(x) // x[-1] if x and x[-1] > 0 else 0
    weights = [i for n, i in enumerate(op.inputs) if n in (1, 2, 3, 4, 5, 6, 7, 8, 16)]
    return steps * sum(_elements(_shape(model, i)) for i in weights if i >= 0)


def macs(model: ModelInfo, op: OperatorInfo) -> int:
    """Multiply-accumulates one invoke of op performs, from its tensors' shapes:

    CONV_2D: output elements x filter height x width x input depth (filter [O,H,W,I]);
    DEPTHWISE_CONV_2D: output elements x filter height x width (filter [1,H,W,O]);
    FULLY_CONNECTED: output elements x input depth (weights [units, depth]);
    TRANSPOSE_CONV: input elements x filter height x width x output depth (each input value
    is scattered through the whole filter); SVDF: batch x filters x (input size + memory
    size) (weights_feature [filters, input], weights_time [filters, memory]);
    UNIDIRECTIONAL_SEQUENCE_LSTM: see _lstm_macs. Every other op: 0 (it multiplies and adds
    per element at most; its instructions per MAC are not shown).
    """
    name, ins = op.code.name, op.inputs
    out = _elements(_shape(model, op.outputs[0])) if op.outputs else 0
    if name == "CONV_2D" and len(ins) >= 2:
        return out * _elements(_shape(model, ins[1])[1:])
    if name == "DEPTHWISE_CONV_2D" and len(ins) >= 2:
        return out * _elements(_shape(model, ins[1])[1:3])
    if name == "FULLY_CONNECTED" and len(ins) >= 2:
        weights = _shape(model, ins[1])
        return out * weights[-1] if weights else 0
    if name == "TRANSPOSE_CONV" and len(ins) >= 3:
        filt = _shape(model, ins[1])
        return _elements(_shape(model, ins[2])) * _elements(filt[:3]) if filt else 0
    if name == "SVDF" and len(ins) >= 3:
        x, feature, time = (_shape(model, i) for i in ins[:3])
        batch = _elements(x[:-1]) if x else 0
        return batch * _elements(feature) + batch * _elements(time)
    if name == "UNIDIRECTIONAL_SEQUENCE_LSTM" and ins:
        return _lstm_macs(model, op)
    return 0


def op_shapes(model: ModelInfo) -> tuple[OpShape, ...]:
    """Subgraph 0's operators in execution order, with their shapes and MACs."""
    return tuple(OpShape(op.index, op.code.name,
                         tuple(_shape(model, i) for i in op.inputs if i >= 0),
                         tuple(_shape(model, i) for i in op.outputs if i >= 0),
                         macs(model, op)) for op in model.operators)


_KIND = ("invoke_begin", "op_begin", "op_end", "invoke_end")


def op_counts(marks: Sequence[tuple[int, int]], hooks: HookAddresses, operators: int) -> Counts:
    """One invoke's counts from the marks of a run (runners/icount.py: (address, count) per
    arrival, in order), which must be: invoke begin, then begin and end of every operator in
    turn, then invoke end.

    Raises:
        ProfileFailed: the hooks were reached in any other order or number (a failed
            invoke, a program calling them more than once, or another program).
    """
    kind = {getattr(hooks, k): k for k in _KIND}
    seen = [kind.get(address, hex(address)) for address, _ in marks]
    expected = ["invoke_begin", *["op_begin", "op_end"] * operators, "invoke_end"]
    if seen != expected:
        raise ProfileFailed(f"the profiling hooks were reached {len(seen)} times, not around "
                            f"one invoke of {operators} operators ({len(expected)} times, in "
                            f"order); first: {', '.join(seen[:4]) or 'none'}")
    count = [c for _, c in marks]
    return Counts(tuple(count[2 + 2 * i] - count[1 + 2 * i] for i in range(operators)),
                  count[-1] - count[0])


# ---- running ----

@dataclass(frozen=True)
class _Plan:
    """What profile decided before building: the target, the kernels and the input."""

    data: bytes
    model: ModelInfo
    project: Project
    settings: VerifySettings
    plan: TargetPlan
    kernels: tuple[Kernel, ...]
    case: GoldenCase


def _profile_settings(project: Project) -> VerifySettings:
    if project.profile is None:
        raise BadProject(f"{project.where()}: no [profile] table says how to build a "
                         "profiling program with the project's runtime (docs/project-file.md)")
    return project.profile


def _counted_plan(config: ProfileConfig, project: Project, events: Events) -> TargetPlan:
    """The target's plan on its QEMU emulator when it has one (only QEMU counts instructions
    at addresses), unless --emulator forces another.

    Raises:
        NotCounted: the target runs natively (host), or only (or by force) on Renode.
    """
    targets = load_targets([config.target], project, events)
    options = config.options
    if options.emulator is None and any(e.runner is EmulatorKind.QEMU
                                        for e in targets[0].emulators):
        options = replace(options, emulator=str(EmulatorKind.QEMU))
    plan = plan_targets(targets, project, options, events)[0]
    if plan.emulator.runner is EmulatorKind.HOST:
        raise NotCounted(f"profile needs an emulated target: {config.target} runs programs "
                         "natively, with no instruction counter (try --target qemu_cortexm3)")
    if plan.emulator.runner is not EmulatorKind.QEMU:
        raise NotCounted(f"profile counts instructions with QEMU's plugin; {config.target} "
                         f"would run on {plan.emulator.runner} (its board names no QEMU "
                         "emulator, or --emulator chose another)")
    return plan


def _prepare(config: ProfileConfig, events: Events) -> _Plan:
    project = config.options.load_project()
    settings = _profile_settings(project)
    prepare_out_dir(config.options.out_dir)
    plan = _counted_plan(config, project, events)
    data, model = load_model(config.model)
    name = config.model.name
    kernels = kernels_for(model, supported_kernels(settings.runtime), name)
    check_io(model, name)
    check_fits(model, len(data), plan.target, name)
    case = random_cases(model, config.seed, count=1)[0]
    return _Plan(data, model, project, settings, plan, kernels, case)


def _build(config: ProfileConfig, p: _Plan, kernels: KernelSet) -> BuiltApp:
    app = AppBuild(p.project.root, p.settings, p.project.where(), {"kernels": str(kernels)})
    stem = "".join(ch if ch.isalnum() else "_" for ch in config.model.stem)
    spec = AppSpec(app, p.plan.target, f"profile_{stem}", p.data, config.model.name,
                   p.kernels, 1, config.options.jobs)
    inputs = tuple(v.to_bytes() for v in p.case.inputs)
    return build_apps(spec, [AppCase(p.case.name, inputs)])[0]


def _run(config: ProfileConfig, p: _Plan, built: BuiltApp, kernels: KernelSet,
         hooks: HookAddresses) -> BinaryResult:
    """Run the program once with the hooks as marks, under its lock (see verify._run)."""
    settings = RunSettings(config.options.out_dir.resolve(), config.options.runner_config())
    job = Job(p.plan, built.elf.resolve(), key=f"{built.elf.stem}-{kernels}",
              marks=(hooks.invoke_begin, hooks.op_begin, hooks.op_end, hooks.invoke_end))
    with locked(built.lock):
        return run_jobs([job], settings, 1)[0]


def _checked(result: BinaryResult, p: _Plan, name: str, kernels: KernelSet) -> None:
    """Raises ModelRejected, ProfileFailed or NotCounted when the run gave no figures."""
    reject_on_target(printed_outputs([result]), name, p.plan.target.name)
    if result.verdict is not Verdict.PASS:
        raise ProfileFailed(f"{name} on {p.plan.target.name} ({kernels} kernels): "
                            f"{result.verdict}: {result.reason} (log: {result.log})")
    if MARKS not in result.extras:
        raise NotCounted(f"{result.runner} counted no instructions at the profiling hooks "
                         "(the instruction-count plugin needs a C compiler: ci/setup)")


def _profile_set(config: ProfileConfig, p: _Plan, kernels: KernelSet) -> tuple[KernelRun, str]:
    built = _build(config, p, kernels)
    try:
        hooks = HookAddresses(*symbol_addresses(built.elf, HOOKS))
    except TflmTestError as exc:
        raise BadProject(f"{exc}: the [profile] build must define TM_PROFILE (the runtime's "
                         "profiling hooks, include/tm_profile.h)") from exc
    result = _run(config, p, built, kernels, hooks)
    _checked(result, p, config.model.name, kernels)
    counts = op_counts(result.extras[MARKS], hooks, len(p.model.operators))
    printed = printed_outputs([result]).get(p.case.name)
    run = KernelRun(kernels, counts, printed.arena_used if printed else None, built.arena_size,
                    program_sizes([built], len(p.data), p.plan.target), built.elf, result.log,
                    printed.arena_persistent if printed else None)
    return run, result.runner


def _check_writable(path: Path) -> None:
    """Before anything is built: the --json file's folder takes a new file (the report is
    written atomically beside it at the end).

    Raises:
        ReportUnwritable: it does not.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise ReportUnwritable(f"--json {path}: cannot write there "
                               f"({exc.strerror or exc})") from exc


def profile(config: ProfileConfig, events: Events = Events()) -> ProfileReport:
    """Build the model into a profiling program per kernel set, run each once on the target,
    and count every operator's instructions.

    Args:
        config: model, target, kernel sets and run options.
        events: receives notices (emulator fallback).
    Returns:
        The report, one run per kernel set.
    Raises:
        ModelRejected: unsupported op, malformed model, it does not fit the target (exit 1).
        ProfileFailed: the program crashed, timed out or failed its invoke (exit 1).
        NotCounted: the target has no instruction counter (host, Renode) (exit 2).
        TflmTestError: unknown target, no [profile] table, missing tool, build failure,
            an unwritable --json path (exit 2).
    """
    if config.json is not None:
        _check_writable(config.json)
    p = _prepare(config, events)
    done = [_profile_set(config, p, kernels) for kernels in config.kernels]
    report = ProfileReport(config.model, p.plan.target.name, done[0][1], op_shapes(p.model),
                           tuple(run for run, _ in done))
    if config.json is not None:
        write_report("--json", config.json, json_text(report))
    return report
