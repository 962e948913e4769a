"""The on-target program of `tflm-test verify`: generate its data file, build it with the
project's command ([verify] in the project file), size it.

The program is the runtime's fixed template (apps/verify/verify_main.c in the reference
runtime) plus one generated C file (the contract is apps/verify/verify_app.h, and the
runtime's include/tm_ops.h and kernels/ say which kernels it has): the model as a const 16-byte
aligned array, a resolver table with exactly the model's kernels (so no other kernel is
linked; an op whose tensors are all integer gets the kernel's int8-only registration when
the runtime has one, as an int8 application would, so no float code is linked either), the
input bytes of each case (const, in flash) and a static arena.

Fitting a small part: the arena starts at the RAM size minus a guess for the stack and
static data; when the link says RAM overflowed by N bytes the arena shrinks by N and the
program is linked again. When flash overflows, each case gets its own program.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import build
from .elf import memory_use
from .errors import BuildFailed, ModelRejected
from .model_to_c import to_c
from .project import BadProject, VerifySettings, expand
from .targets import Target
from .tflite_model import ModelInfo, parse_model

log = logging.getLogger(__name__)

BIG_ARENA = 1 << 20  # targets with plenty of RAM (host, QEMU's 4 MB boards)
RAM_RESERVE = 3 * 1024  # first guess of stack + static RAM on small parts; the linker corrects it
SMALL_RAM = 1 << 20  # RAM regions up to this size are sized exactly
ALIGN = 16

# enum { TM_OP_ADD = 0, ... }   in include/tm_ops.h
_OP_ENUM = re.compile(r"\bTM_OP_(?P<name>[A-Z0-9_]+)\s*=\s*(?P<code>\d+)")
# const tm_kernel tm_kernel_add = {...};   in kernels/*.c
_KERNEL_DEF = re.compile(r"^const tm_kernel (?P<sym>tm_kernel_\w+)\s*=", re.M)
# region `RAM' overflowed by 1234 bytes   (as build.explain_failure reports it)
_OVERFLOW = re.compile(r"region [`']?(?P<region>\w+)'? overflowed by (?P<bytes>\d+) bytes")


# Tensor types an int8-only registration (tm_kernel_<op>_int8) rejects.


@dataclass(frozen=True)
class Kernel:
    code: int
    enum: str  # TM_OP_FULLY_CONNECTED
    symbol: str  # tm_kernel_fully_connected
    # tm_kernel_fully_connected_int8, when the runtime has one; TM_KERNEL_FULLY_CONNECTED_INT8
    # when tm_ops.h defines that macro: the kernel of the set the build chose (KERNELS=...)
    int8_symbol: str = ""


@dataclass(frozen=True)
class AppCase:
    name: str
    inputs: tuple[bytes, ...]  # each input tensor's bytes, little-endian


@dataclass(frozen=True)
class BuiltApp:
    elf: Path
    cases: tuple[str, ...]
    arena_size: int
    flash: int  # whole program
    ram: int  # static RAM incl. arena and stack
    input_bytes: int  # flash taken by the cases' input data
    lock: Path  # hold it (locked()) while running the ELF: one run at a time writes its log


def _int8_registration(name: str, ops_h: str, defined: set[str]) -> str:
    """The int8-only registration of op `name` (FULLY_CONNECTED), or "" when there is none."""
    chosen = f"TM_KERNEL_{name}_INT8"  # a macro: the kernel of the build's set
    if re.search(rf"^#define {chosen}\b", ops_h, re.M) is not None:
        return chosen
    int8 = f"tm_kernel_{name.lower()}_int8"
    return int8 if int8 in defined and re.search(rf"\b{int8}\b", ops_h) else ""


def supported_kernels(runtime: Path) -> dict[int, Kernel]:
    """Kernels the runtime ships: declared in include/tm_ops.h and defined in kernels/*.c,
    each with its int8-only registration (tm_kernel_<op>_int8) when that is declared and
    defined too; where tm_ops.h defines TM_KERNEL_<OP>_INT8 (the int8 kernel of the set the
    build picks, reference or optimized), that macro instead.

    Args:
        runtime: the runtime's folder ([verify] runtime in the project file).
    Returns:
        Builtin operator code -> kernel.
    Raises:
        BadProject: the folder has no include/tm_ops.h (not a runtime with this contract).
    """
    try:
        ops_h = (runtime / "include" / "tm_ops.h").read_text(errors="replace")
    except OSError as exc:
        raise BadProject(f"[verify] runtime {runtime}: no include/tm_ops.h there "
                         f"({exc.strerror or exc})") from exc
    defined = {m["sym"] for src in sorted((runtime / "kernels").glob("*.c"))
               for m in _KERNEL_DEF.finditer(src.read_text(errors="replace"))}
    kernels = {}
    for m in _OP_ENUM.finditer(ops_h):
        symbol = f"tm_kernel_{m['name'].lower()}"
        if symbol in defined:
            kernels[int(m["code"])] = Kernel(int(m["code"]), f"TM_OP_{m['name']}", symbol,
                                             _int8_registration(m["name"], ops_h, defined))
    return kernels


# What the int8-only registrations take: int8 activations and weights, int32 biases/shapes.
INT8_REGISTRATION_DTYPES = frozenset({"int8", "int32"})


def registered_symbol(kernel: Kernel, model: ModelInfo) -> str:
    """The kernel to register for an op: its int8-only registration when the runtime has one
    and every operator of that op in the model touches only int8 and int32 tensors (no float,
    no 16x8 int16), else the reference one.

    Args:
        kernel: the op's kernel (supported_kernels).
        model: the decoded model.
    Returns:
        A tm_kernel symbol.
    """
    tensors = (model.tensors[i] for op in model.operators if op.code.builtin_code == kernel.code
               for i in op.inputs + op.outputs if 0 <= i < len(model.tensors))
    if kernel.int8_symbol and all(t.dtype in INT8_REGISTRATION_DTYPES for t in tensors):
        return kernel.int8_symbol
    return kernel.symbol


def _c_bytes(data: bytes) -> str:
    rows = [", ".join(f"0x{b:02x}" for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    return "\n".join(f"  {row}," for row in rows) if rows else "  0x00,"


def c_string(text: str) -> str:
    """text as a C string literal that gives back its UTF-8 bytes exactly.

    Printable ASCII stays readable; everything else, and the quote, backslash and '?'
    (which could start a trigraph under -std=c11), becomes a 3-digit octal escape, which
    unlike a hex escape cannot swallow the characters after it.
    """
    return '"' + "".join(chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\?' else f"\\{b:03o}"
                         for b in text.encode()) + '"'


def _comment(text: str) -> str:
    """text (a file name, which may hold a newline) on one line of a C comment."""
    return text.encode("unicode_escape").decode("ascii")


def _case_source(index: int, case: AppCase) -> tuple[str, str]:
    """(definitions of one case's input arrays, its initializer in the case table)."""
    parts = []
    for j, data in enumerate(case.inputs):
        parts.append(f"static const uint8_t case{index}_input{j}[] __attribute__((aligned(16)))"
                     f" = {{\n{_c_bytes(data)}\n}};")
    table = ", ".join(f"{{case{index}_input{j}, {len(d)}u}}" for j, d in enumerate(case.inputs))
    parts.append(f"static const tm_verify_input case{index}_inputs[] = {{{table}}};")
    row = f"  {{{c_string(case.name)}, case{index}_inputs, {len(case.inputs)}u}},"
    return "\n".join(parts), row


def generate_source(model: bytes, model_name: str, kernels: Sequence[Kernel],
                    cases: Sequence[AppCase], arena_size: int, repeat: int = 1) -> str:
    """The data file of the verify program (see apps/verify/verify_app.h).

    Args:
        model: the .tflite bytes.
        model_name: the file name, quoted in the header comment.
        kernels: exactly the model's operators (each registered as registered_symbol says).
        cases: the input cases, in order.
        arena_size: bytes of the static arena (a multiple of 16).
        repeat: invocations per case (benchmarks).
    Returns:
        The C source text.
    """
    defs, rows = zip(*(_case_source(i, c) for i, c in enumerate(cases))) if cases else ((), ())
    info = parse_model(model)
    ops = "\n".join(f"  {{{k.enum}, &{registered_symbol(k, info)}}}," for k in kernels)
    return "\n".join([
        "/* Generated by tflm-test verify (harness/verify_app.py) from "
        f"{_comment(model_name)}; do not edit. */",
        "#include <stddef.h>", "#include <stdint.h>", "", '#include "tm_ops.h"',
        '#include "verify_app.h"', "",
        to_c(model, "tm_verify_model", _comment(model_name)).split("\n", 1)[1],
        f"const tm_op_registration tm_verify_ops[] = {{\n{ops}\n}};",
        f"const size_t tm_verify_num_ops = {len(kernels)}u;",
        f"tm_op_registration tm_verify_resolver_storage[{max(len(kernels), 1)}];", "",
        *defs, "", "const tm_verify_case tm_verify_cases[] = {\n" + "\n".join(rows) + "\n};",
        f"const size_t tm_verify_num_cases = {len(cases)}u;",
        f"const uint32_t tm_verify_repeat = {repeat}u;",
        f"uint8_t tm_verify_arena[{arena_size}] __attribute__((aligned(16)));",
        f"const size_t tm_verify_arena_size = {arena_size}u;", ""])


def first_arena_size(target: Target) -> int:
    """The arena to try first: all RAM but a reserve on small parts, else BIG_ARENA."""
    ram = next((r.length for r in target.memory if r.name == "RAM"), None)
    if ram is None or ram > SMALL_RAM:
        return BIG_ARENA
    return max(ALIGN, (ram - RAM_RESERVE) // ALIGN * ALIGN)


@dataclass(frozen=True)
class AppBuild:
    """Where and how verify programs are built: the project's [verify] settings and the
    project root they are relative to."""

    root: Path
    settings: VerifySettings
    where: str  # the project file, for messages
    extra: Mapping[str, str] = field(default_factory=dict)  # more placeholders ({kernels})

    def _path(self, key: str, template: str, values: dict[str, object]) -> Path:
        return self.root / expand([template], values, f"{self.where}: [verify] {key}")[0]

    def values(self, target: Target, name: str, jobs: int) -> dict[str, object]:
        values: dict[str, object] = {"target": target.name, "jobs": jobs, "root": self.root,
                                     "name": name, "runtime": self.settings.runtime,
                                     **self.extra}
        values["app_dir"] = self._path("app_dir", self.settings.app_dir, values)
        return values

    def app_dir(self, target: Target, name: str) -> Path:
        """Where program `name`'s generated source goes ([verify] app_dir)."""
        return self._path("app_dir", self.settings.app_dir, self.values(target, name, 1))

    def elf(self, target: Target, name: str) -> Path:
        """Where the build leaves program `name` ([verify] elf)."""
        return self._path("elf", self.settings.elf, self.values(target, name, 1))


def program_name(prefix: str, source: str) -> str:
    """The program's name: prefix plus a hash of its generated source.

    Keyed by content, not by the model's file name: two runs of different models that share a
    file name must not build into (and run) one folder, while runs of the same content share
    one build.
    """
    return f"{prefix}_{hashlib.sha256(source.encode()).hexdigest()[:16]}"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on path (created if missing) during the with-block.

    The kernel drops it when the process dies, so a killed run never leaves a stale lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file releases the lock


def app_lock(app: AppBuild, target: Target, name: str) -> Path:
    """The lock held while program `name` is built or run (see locked)."""
    return app.elf(target, name).with_suffix(".lock")


def build_source(app: AppBuild, target: Target, prefix: str, source: str, jobs: int = 2) -> Path:
    """Write the data file into the program's own folder and build it (the one place verify
    builds). Builds for one target run one at a time (a lock beside the programs): the
    objects every program links (library, port, template) are never written by two builds
    at once.

    Args:
        app: the project's verify build.
        target: what to build for.
        prefix: the start of the program name (a file-name-safe word); program_name adds
            the source's hash.
        source: the generated data file.
        jobs: make -j.
    Returns:
        The ELF.
    Raises:
        BuildFailed, ToolMissing: as build.run_build.
    """
    name = program_name(prefix, source)
    elf = app.elf(target, name)
    app_dir = app.app_dir(target, name)
    argv = expand(app.settings.build, app.values(target, name, jobs),
                  f"{app.where}: [verify] build")
    with locked(elf.parent / ".verify-build.lock"):
        app_dir.mkdir(parents=True, exist_ok=True)
        data_file = app_dir / "verify_data.c"
        if not data_file.exists() or data_file.read_text() != source:  # unchanged: no rebuild
            data_file.write_text(source)
        build.run_build(argv, app.root, target)
    if not elf.is_file():
        raise BuildFailed(f"the [verify] build for {target.name} left no program at {elf}")
    return elf


def overflow(message: str) -> tuple[str, int] | None:
    """(region, bytes) from a 'does not fit' build failure, else None."""
    m = _OVERFLOW.search(message)
    return (m["region"], int(m["bytes"])) if m else None


@dataclass(frozen=True)
class AppSpec:
    """Everything a verify program is made of except its cases and arena."""

    app: AppBuild
    target: Target
    prefix: str  # of the program names (verify.app_name), before the source's hash
    model: bytes
    model_name: str
    kernels: tuple[Kernel, ...]
    repeat: int = 1
    jobs: int = 2


def _link_fitting(spec: AppSpec, prefix: str, cases: Sequence[AppCase]) -> BuiltApp:
    """Link one program, shrinking the arena while RAM overflows.

    Raises:
        BuildFailed: any failure but a RAM overflow (FLASH overflow included).
        ModelRejected: RAM is full before any arena is left.
    """
    arena = first_arena_size(spec.target)
    for _attempt in range(4):
        source = generate_source(spec.model, spec.model_name, spec.kernels, cases, arena,
                                 spec.repeat)
        try:
            elf = build_source(spec.app, spec.target, prefix, source, spec.jobs)
        except BuildFailed as exc:
            over = overflow(str(exc))
            if over is None or over[0] != "RAM":
                raise
            arena = (arena - over[1]) // ALIGN * ALIGN
            if arena < ALIGN:
                raise ModelRejected(f"{spec.model_name} does not fit {spec.target.name}: "
                                    "no RAM left for an arena") from exc
            log.debug("RAM overflowed by %d bytes: arena now %d", over[1], arena)
            continue
        use = memory_use(elf)
        inputs = sum(len(d) for c in cases for d in c.inputs)
        return BuiltApp(elf, tuple(c.name for c in cases), arena, use.flash, use.ram, inputs,
                        app_lock(spec.app, spec.target, elf.stem))
    raise ModelRejected(f"{spec.model_name}: could not size the arena for {spec.target.name}")


def _link_one_case(spec: AppSpec, prefix: str, case: AppCase) -> BuiltApp:
    """Link a program for a single case; a FLASH overflow now means the model does not fit."""
    try:
        return _link_fitting(spec, prefix, [case])
    except BuildFailed as exc:
        over = overflow(str(exc))
        if over is None or over[0] != "FLASH":
            raise
        inputs = sum(len(d) for d in case.inputs)
        raise ModelRejected(
            f"{spec.model_name} does not fit {spec.target.name}: flash overflowed by "
            f"{over[1]} bytes (model {len(spec.model)} bytes + inputs of one case "
            f"{inputs} bytes + code)") from exc


def build_apps(spec: AppSpec, cases: Sequence[AppCase]) -> list[BuiltApp]:
    """One program for all cases, or one per case when they do not fit flash together.

    Args:
        spec: model, kernels and target.
        cases: the input cases (at least one).
    Returns:
        The programs, covering every case in order.
    Raises:
        ModelRejected: the model with a single case does not fit the target.
        BuildFailed, ToolMissing: the build failed otherwise.
    """
    if len(cases) == 1:
        return [_link_one_case(spec, spec.prefix, cases[0])]
    try:
        return [_link_fitting(spec, spec.prefix, cases)]
    except BuildFailed as exc:
        over = overflow(str(exc))
        if over is None or over[0] != "FLASH":
            raise
        log.debug("%d cases overflow flash by %d bytes: one program per case",
                  len(cases), over[1])
    return [_link_one_case(spec, f"{spec.prefix}_{i}", case) for i, case in enumerate(cases)]
