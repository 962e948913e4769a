"""`tflm-test verify`: run a .tflite model on a target and check its outputs bit for bit.

    model -> ops check -> cases (golden file, or seeded random inputs + tflite_micro)
          -> generated program (verify_app) -> build -> run on the target's runner
          -> printed outputs (verify_compare) -> per-case comparison -> VerifyReport

A model the target cannot run (an op the runtime lacks, malformed bytes, too big for the
target's flash or RAM) raises ModelRejected with one line; a run that went wrong
(crash, timeout) or outputs that differ are a verdict in the report.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelRejected, TflmTestError
from .golden import FORMATS, Golden, GoldenCase, TensorValue, load_golden
from .oracle import expected_outputs, oracle_version, random_cases
from .pipeline import Events, RunOptions, load_targets, plan_targets
from .project import BadProject, Project, VerifySettings
from .reports.verify_report import write_json
from .results import BinaryResult, Verdict
from .session import RunSettings, TargetPlan, jobs_for, prepare_out_dir, run_jobs
from .targets import Target
from .tflite_model import MalformedModel, ModelInfo, read_model
from .verify_app import (AppBuild, AppCase, AppSpec, BuiltApp, Kernel, build_apps, locked,
                         supported_kernels)
from .verify_compare import (CaseOutput, Comparison, argmax_label, compare, parse_outputs,
                             tolerance_for)

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 4 << 20  # per case; the inputs are compiled into the program


@dataclass(frozen=True)
class VerifyConfig:
    """Every option of `tflm-test verify`, defined once; cli.py reads its defaults here."""

    model: Path
    golden: Path | None = None
    target: str = "host"
    json: Path | None = None
    seed: int = 0  # random inputs, when there is no golden file
    use_oracle: bool = True  # False: never import tflite_micro (outputs only)
    repeat: int = 1  # invocations per case (benchmarks)
    options: RunOptions = RunOptions()  # jobs, timeout, emulator, out folder, project...


@dataclass(frozen=True)
class CaseReport:
    name: str
    status: str  # "bit-exact", "within N ULP", "mismatch", "no output", "unchecked"
    comparisons: tuple[Comparison, ...] = ()  # one per output
    label: str | None = None  # argmax label of output 0 (classifiers)
    expected_label: str | None = None
    outputs: tuple[TensorValue, ...] = ()  # what the target produced

    @property
    def ok(self) -> bool:
        return bool(self.comparisons) and all(c.ok for c in self.comparisons)


@dataclass(frozen=True)
class Sizes:
    code: int  # flash minus model and input data: runtime, kernels, program, libc
    model: int
    inputs: int  # the cases' input data, in flash only for verify
    flash: int  # whole program (of the largest program when cases were split)
    ram: int  # static RAM incl. arena and stack
    flash_capacity: int | None
    ram_capacity: int | None


@dataclass(frozen=True)
class VerifyReport:
    model: Path
    target: str
    runner: str
    verdict: Verdict
    reason: str
    ops: tuple[str, ...]
    reference: str  # where the expected outputs came from
    cases: tuple[CaseReport, ...]
    arena_used: int | None
    arena_size: int
    tflm_arena_used: int | None  # what TFLM reported (golden file), for comparison
    sizes: Sizes
    tolerance_ulps: int
    logs: tuple[Path, ...]
    run_s: float = 0.0  # wall time of the program runs (all programs, all cases)
    arena_persistent: int | None = None  # of arena_used, when the program printed it
    tflm_arena_persistent: int | None = None  # TFLM's (golden file)

    @property
    def exit_code(self) -> int:
        return 0 if self.verdict is Verdict.PASS else 1


def load_model(path: Path) -> tuple[bytes, ModelInfo]:
    """The model's bytes and contents; ModelRejected (one line) when it is not a model."""
    try:
        return read_model(path)
    except MalformedModel as exc:
        raise ModelRejected(f"{path.name}: not a valid .tflite model: {exc}") from exc


def kernels_for(model: ModelInfo, available: dict[int, Kernel], name: str) -> tuple[Kernel, ...]:
    """The runtime's kernels for exactly the model's operators.

    Args:
        model: the decoded model.
        available: what the runtime ships (verify_app.supported_kernels).
        name: the model's file name, for the message.
    Returns:
        One kernel per distinct operator code, by code.
    Raises:
        ModelRejected: an operator the runtime does not implement.
    """
    missing = [c for c in model.used_codes if c.builtin_code not in available]
    if missing:
        names = ", ".join(c.name if c.custom_code else f"{c.name} (builtin {c.builtin_code})"
                          for c in missing)
        have = ", ".join(sorted(k.enum.removeprefix("TM_OP_") for k in available.values()))
        raise ModelRejected(f"{name}: unsupported op{'s' if len(missing) > 1 else ''} {names}; "
                            f"the runtime implements {have}")
    return tuple(available[c.builtin_code] for c in model.used_codes)


def check_io(model: ModelInfo, name: str) -> None:
    """verify feeds and compares tensors as packed numbers: every input and output must be of
    a numeric dtype, and there must be an output to compare.

    Raises:
        ModelRejected: no outputs, or a string, complex or other unsupported input or output.
    """
    if not model.outputs:
        raise ModelRejected(f"{name}: the model has no outputs to compare")
    for kind, tensors in (("input", model.inputs), ("output", model.outputs)):
        for i, tensor in enumerate(tensors):
            if tensor.dtype not in FORMATS:
                raise ModelRejected(f"{name}: {kind} {i} ({tensor.name}) is a {tensor.dtype} "
                                    f"tensor; verify handles {', '.join(FORMATS)}")


def check_fits(model: ModelInfo, model_bytes: int, target: Target, name: str) -> None:
    """Reject early when the model alone exceeds the target's flash, one operator's
    activations alone exceed its RAM, or the inputs are too big to embed in a program at all.

    Raises:
        ModelRejected: the model is bigger than the flash, or the largest operator's
            non-constant tensors need more than the RAM.
    """
    inputs = sum(t.nbytes for t in model.inputs)
    if inputs > MAX_INPUT_BYTES:
        raise ModelRejected(f"{name}: its inputs take {inputs} bytes per case, more than the "
                            f"{MAX_INPUT_BYTES} a verify program embeds")
    regions = {r.name: r.length for r in target.memory}
    flash = regions.get("FLASH")
    if flash is not None and model_bytes > flash:
        raise ModelRejected(f"{name} does not fit {target.name}: the model alone takes "
                            f"{model_bytes} bytes, the target has {flash} bytes of flash")
    ram = regions.get("RAM")
    if ram is None:
        return
    for op in model.operators:
        tensors = {i for i in op.inputs + op.outputs if i >= 0}
        need = sum(model.tensors[i].nbytes for i in tensors if not model.tensors[i].is_const)
        if need > ram:
            raise ModelRejected(
                f"{name} does not fit {target.name}: operator {op.index} ({op.code.name}) "
                f"alone needs {need} bytes of activations, the target has {ram} bytes of RAM")


def check_golden_fits(golden: Golden, model: ModelInfo, where: str) -> None:
    """Every case gives exactly the model's inputs and outputs: count, dtype and shape.

    Raises:
        ModelRejected: the first difference, naming the file, case and tensor.
    """
    for case in golden.cases:
        for kind, values, tensors in (("input", case.inputs, model.inputs),
                                      ("output", case.outputs or (), model.outputs)):
            if len(values) != len(tensors):
                raise ModelRejected(f"{where}: case {case.name}: {len(values)} {kind}s, the "
                                    f"model has {len(tensors)}")
            for i, (value, tensor) in enumerate(zip(values, tensors)):
                if (value.dtype, value.shape) != (tensor.dtype, tensor.shape):
                    raise ModelRejected(
                        f"{where}: case {case.name}: {kind} {i} is {value.dtype} "
                        f"{list(value.shape)}, the model's {kind} {i} ({tensor.name}) is "
                        f"{tensor.dtype} {list(tensor.shape)}")


def _cases(config: VerifyConfig, timeout_s: float, model: ModelInfo, data: bytes,
           events: Events) -> tuple[list[GoldenCase], str, Golden | None]:
    """(cases, where the expected outputs come from, the golden file if any)."""
    if config.golden is not None:
        golden = load_golden(config.golden)
        check_golden_fits(golden, model, str(config.golden))
        if golden.model_sha256 and golden.model_sha256 != hashlib.sha256(data).hexdigest():
            events.notice(f"{config.golden} was made for {golden.model or 'another model'} "
                          "(sha256 differs); comparing anyway")
        return list(golden.cases), f"{config.golden.name} ({golden.interpreter})", golden
    cases = random_cases(model, config.seed)
    version = oracle_version() if config.use_oracle else None
    if version is None:
        events.notice("expected outputs not available (tflite_micro is not installed): "
                      "printing outputs only")
        return cases, "none: expected outputs not available", None
    cases = expected_outputs(data, model, cases, config.model.name, timeout_s)
    return cases, f"{version} on seeded random inputs (seed {config.seed})", None


def _plan(config: VerifyConfig, project: Project, events: Events) -> TargetPlan:
    targets = load_targets([config.target], project, events)
    return plan_targets(targets, project, config.options, events)[0]


def printed_outputs(results: Sequence[BinaryResult]) -> dict[str, CaseOutput]:
    """What the programs printed, per case name (their logs, parsed)."""
    printed: dict[str, CaseOutput] = {}
    for result in results:
        if result.log is not None and result.log.exists():
            text = result.log.read_text(encoding="utf-8", errors="replace")
            printed.update((c.name, c) for c in parse_outputs(text.splitlines()))
    return printed


# operator 0 (ADD): prepare failed: TM_ERR_UNSUPPORTED   (the interpreter's summary line)
_PHASE_FAILED = re.compile(r"^operator \d+ \(\S+\): \w+ failed: TM_\w+$")


def _why(case: CaseOutput) -> str:
    """The runtime's reason: the kernel's own line ("ADD at operator 0: int16 input 1 is not
    supported (float32, int8 are)") before the interpreter's "prepare failed" summary."""
    for i, note in enumerate(case.notes):
        if _PHASE_FAILED.match(note):
            return case.notes[i - 1] if i > 0 else note
    return case.notes[-1] if case.notes else case.error or ""


def reject_on_target(printed: dict[str, CaseOutput], name: str, target: str) -> None:
    """A model the target could not even prepare is rejected, not judged."""
    for case in printed.values():
        if case.error is None:
            continue
        if "TM_ERR_ARENA" in case.error:
            needed = f"{case.arena_needed} bytes" if case.arena_needed else "more"
            raise ModelRejected(f"{name} does not fit {target}: the arena needs {needed}, "
                                f"{case.arena_have} bytes are available")
        if case.error.startswith(("init", "prepare")):
            why = _why(case)
            raise ModelRejected(f"{name}: the runtime rejected the model on {target}: {why}")


def _case_report(case: GoldenCase, out: CaseOutput | None, model: ModelInfo,
                 tolerance: int, labels: tuple[str, ...]) -> CaseReport:
    if out is None or len(out.outputs) != len(model.outputs):
        return CaseReport(case.name, "no output", expected_label=case.expected_label)
    actual = tuple(TensorValue.from_bytes(t.shape, t.dtype, bytes(out.outputs[i]))
                   for i, t in enumerate(model.outputs))
    label = argmax_label(actual[0], labels)
    if case.outputs is None:
        return CaseReport(case.name, "unchecked", (), label, case.expected_label, actual)
    comparisons = tuple(compare(e, a, tolerance) for e, a in zip(case.outputs, actual))
    if all(c.exact for c in comparisons):
        status = "bit-exact"
    elif all(c.ok for c in comparisons):
        status = f"within {tolerance} ULP"
    else:
        status = "mismatch"
    return CaseReport(case.name, status, comparisons, label, case.expected_label, actual)


def _verdict(results: Sequence[BinaryResult], cases: Sequence[CaseReport],
             reference: str) -> tuple[Verdict, str]:
    broken = next((r for r in results if r.verdict in (Verdict.CRASH, Verdict.TIMEOUT,
                                                       Verdict.ERROR)), None)
    if broken is not None:
        return broken.verdict, f"{broken.name}: {broken.reason} (log: {broken.log})"
    missing = [c.name for c in cases if c.status == "no output"]
    if missing:
        failed = next((r for r in results if r.verdict is not Verdict.PASS), None)
        why = f": {failed.reason}" if failed else ""
        return Verdict.FAIL, f"no output for {', '.join(missing)}{why}"
    if any(c.status == "unchecked" for c in cases):
        return Verdict.ERROR, f"nothing compared ({reference})"
    bad = [c.name for c in cases if not c.ok]
    if bad:
        return Verdict.FAIL, f"{len(bad)} of {len(cases)} cases differ: {', '.join(bad)}"
    return Verdict.PASS, ""


def program_sizes(apps: Sequence[BuiltApp], model_len: int, target: Target) -> Sizes:
    big = max(apps, key=lambda a: a.flash)
    regions = {r.name: r.length for r in target.memory}
    return Sizes(code=big.flash - model_len - big.input_bytes, model=model_len,
                 inputs=sum(a.input_bytes for a in apps), flash=big.flash, ram=big.ram,
                 flash_capacity=regions.get("FLASH"), ram_capacity=regions.get("RAM"))


def _run(config: VerifyConfig, plan: TargetPlan,
         apps: Sequence[BuiltApp]) -> list[BinaryResult]:
    """Run the programs, each under its lock: a concurrent verify of the same content (same
    program, same log file) waits instead of writing the log at the same time."""
    settings = RunSettings(config.options.out_dir.resolve(), config.options.runner_config())
    with ExitStack() as held:
        for lock in sorted({app.lock for app in apps}):  # one order everywhere: no deadlock
            held.enter_context(locked(lock))
        return run_jobs(jobs_for(plan, [app.elf for app in apps]), settings,
                        config.options.jobs)


@dataclass(frozen=True)
class _Plan:
    """What verify decided before building: the target, the kernels and the cases."""

    data: bytes
    model: ModelInfo
    project: Project
    build: VerifySettings
    plan: TargetPlan
    kernels: tuple[Kernel, ...]
    cases: list[GoldenCase]
    reference: str
    golden: Golden | None


def _verify_settings(project: Project) -> VerifySettings:
    if project.verify is None:
        raise BadProject(f"{project.where()}: no [verify] table says how to build a verify "
                         "program with the project's runtime (docs/project-file.md)")
    return project.verify


def _prepare(config: VerifyConfig, events: Events) -> _Plan:
    project = config.options.load_project()
    settings = _verify_settings(project)
    prepare_out_dir(config.options.out_dir)  # before any build, not when a run writes there
    data, model = load_model(config.model)
    plan = _plan(config, project, events)
    kernels = kernels_for(model, supported_kernels(settings.runtime), config.model.name)
    check_io(model, config.model.name)
    check_fits(model, len(data), plan.target, config.model.name)
    cases, reference, golden = _cases(config, plan.timeout_s, model, data, events)
    return _Plan(data, model, project, settings, plan, kernels, cases, reference, golden)


def _report(config: VerifyConfig, p: _Plan, apps: Sequence[BuiltApp],
            results: Sequence[BinaryResult], printed: dict[str, CaseOutput]) -> VerifyReport:
    tolerance = tolerance_for([c.name for c in p.model.used_codes],
                              [t.dtype for t in p.model.outputs])
    labels = p.golden.labels if p.golden else ()
    cases = tuple(_case_report(c, printed.get(c.name), p.model, tolerance, labels)
                  for c in p.cases)
    verdict, reason = _verdict(results, cases, p.reference)
    first = next((o for o in printed.values() if o.arena_used is not None), None)
    return VerifyReport(
        model=config.model, target=p.plan.target.name,
        runner=results[0].runner if results else "", verdict=verdict, reason=reason,
        ops=tuple(c.name for c in p.model.used_codes), reference=p.reference, cases=cases,
        arena_used=first.arena_used if first else None, arena_size=apps[0].arena_size,
        tflm_arena_used=p.golden.arena_used_bytes if p.golden else None,
        sizes=program_sizes(apps, len(p.data), p.plan.target), tolerance_ulps=tolerance,
        logs=tuple(r.log for r in results if r.log is not None),
        run_s=sum(r.duration_s for r in results),
        arena_persistent=first.arena_persistent if first else None,
        tflm_arena_persistent=p.golden.arena_tail_bytes if p.golden else None)


def verify(config: VerifyConfig, events: Events = Events()) -> VerifyReport:
    """Build the model into a program for the target, run it, compare every case.

    Args:
        config: model, golden file, target and run options.
        events: receives notices (emulator fallback, missing reference).
    Returns:
        The report; report.exit_code is 0 only when every case matched.
    Raises:
        ModelRejected: unsupported op, malformed model, it does not fit the target, or the
            golden file does not match it (exit 1).
        OracleFailed: tflite_micro crashed, hung or failed on it (exit 1).
        TflmTestError: malformed golden file, unknown target, missing tool, build failure
            (exit 2).
    """
    p = _prepare(config, events)
    spec = AppSpec(AppBuild(p.project.root, p.build, p.project.where()),
                   p.plan.target, app_name(config.model), p.data, config.model.name, p.kernels,
                   config.repeat, config.options.jobs)
    apps = build_apps(spec, [AppCase(c.name, tuple(v.to_bytes() for v in c.inputs))
                             for c in p.cases])
    results = _run(config, p.plan, apps)
    printed = printed_outputs(results)
    reject_on_target(printed, config.model.name, p.plan.target.name)
    report = _report(config, p, apps, results, printed)
    if config.json is not None:
        try:
            write_json(report, config.json)
        except OSError as exc:
            raise TflmTestError(f"{config.json}: cannot write the report "
                                f"({exc.strerror or exc})") from exc
    return report


def app_name(model: Path) -> str:
    """The start of the verify program's name for a model: verify_<stem>, as a
    file-name-safe word (verify_app.program_name adds the hash that tells models apart)."""
    stem = "".join(ch if ch.isalnum() else "_" for ch in model.stem)
    return f"verify_{stem}"
