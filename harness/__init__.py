"""tflm-test: build, run and judge TFLM-style runtime tests on every target."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tflm-test")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
