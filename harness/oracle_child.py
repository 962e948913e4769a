"""The reference interpreter's half of `tflm-test verify`, run in its own process:

    python -m tflm_test.oracle_child REQUEST ANSWER

tflite_micro is C++ behind a Python wrapper: on a corrupted model it can segfault, loop
forever holding the GIL (deaf to SIGINT/SIGTERM handlers) or raise whatever its schema reader
trips on. Here that only costs this process; harness/oracle.py reads the outcome, and starts
it with runners.process.spawn, so it is killed with its own group and dies with tflm-test.

REQUEST (JSON, written by oracle.py):
    {"model": "<path of the .tflite bytes verify checked>", "arena": <bytes>, "outputs": <n>,
     "cases": [{"inputs": [{"shape": [1, 1], "dtype": "int8", "hex": "fc"}, ...]}, ...]}
ANSWER (JSON, written here on success, exit 0):
    {"cases": [[{"shape": [...], "dtype": "int8", "hex": "..."}, ...one per output], ...]}
    or on failure (exit EXIT_FAILED): {"error": "<ExceptionType>: <message>"}
Tensor bytes are little-endian, as the targets store them, so no value is rounded on the way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

EXIT_FAILED = 1  # tflite_micro could not run the model; ANSWER holds the error
EXIT_UNAVAILABLE = 3  # tflite_micro or numpy cannot be imported


def _array(np: Any, tensor: dict[str, Any]) -> Any:
    little = np.dtype(tensor["dtype"]).newbyteorder("<")
    raw = np.frombuffer(bytes.fromhex(tensor["hex"]), dtype=little)
    return raw.astype(tensor["dtype"]).reshape(tensor["shape"])


def _tensor(array: Any) -> dict[str, Any]:
    little = array.astype(array.dtype.newbyteorder("<"))
    return {"shape": list(array.shape), "dtype": str(array.dtype), "hex": little.tobytes().hex()}


def run_cases(runtime: Any, np: Any, request: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Every case through a fresh interpreter, as the golden files were made.

    Args:
        runtime: tflite_micro.runtime.
        np: numpy.
        request: the decoded REQUEST.
    Returns:
        Per case, its outputs as ANSWER tensors.
    """
    model = Path(request["model"]).read_bytes()
    answers = []
    for case in request["cases"]:
        interp = runtime.Interpreter.from_bytes(model, arena_size=request["arena"])
        for i, tensor in enumerate(case["inputs"]):
            interp.set_input(_array(np, tensor), i)
        interp.invoke()
        answers.append([_tensor(interp.get_output(i)) for i in range(request["outputs"])])
    return answers


def main(argv: list[str]) -> int:
    """Run REQUEST, write ANSWER; the exit status says which kind of answer it is."""
    request, answer = Path(argv[0]), Path(argv[1])
    try:
        import numpy as np
        from tflite_micro import runtime
    except ImportError as exc:
        print(f"cannot import the reference interpreter: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    try:
        result: dict[str, Any] = {"cases": run_cases(runtime, np,
                                                     json.loads(request.read_text()))}
    except Exception as exc:  # tflite_micro raises RuntimeError, ValueError, struct.error...
        kind = type(exc).__qualname__
        if type(exc).__module__ != "builtins":
            kind = f"{type(exc).__module__}.{kind}"
        result = {"error": f"{kind}: {exc}"}
    answer.write_text(json.dumps(result), encoding="utf-8")
    return EXIT_FAILED if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
