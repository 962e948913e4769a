"""The one exception tree for user-facing errors and the exit-code table.

A failing test is a verdict, not an exception: exceptions mean "no verdict could be given"
(bad input, missing tool, unknown name). The CLI turns a TflmTestError into one line on
stderr and its exit code.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_ALL_PASSED = 1
    USAGE_OR_ENV = 2  # the same code click uses for usage errors
    INTERRUPTED = 130


class TflmTestError(Exception):
    """An error the user can act on; str(error) is the whole message."""

    exit_code: ExitCode = ExitCode.USAGE_OR_ENV


class UnknownName(TflmTestError):
    """A target, runner or emulator name that does not exist."""


class ToolMissing(TflmTestError):
    """A program we need is not installed; the message names the Debian package."""


class RunnerUnavailable(TflmTestError):
    """An emulator or engine cannot be used here (missing, unreachable, no image)."""


class BadBinary(TflmTestError):
    """A file given to run is not an ELF for the target's architecture."""


class BuildFailed(TflmTestError):
    """make failed; the message carries the first compiler/linker error."""


class ModelRejected(TflmTestError):
    """verify: the model cannot run on the target (unsupported op, malformed, does not fit)."""

    exit_code = ExitCode.NOT_ALL_PASSED


class OracleFailed(TflmTestError):
    """verify: the reference interpreter (tflite_micro) crashed, hung or failed on the model,
    so no expected outputs exist; like ModelRejected, the model is what is wrong."""

    exit_code = ExitCode.NOT_ALL_PASSED
