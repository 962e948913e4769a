"""The emulator image's build context (package data, not code): a package so
importlib.resources finds this folder from an editable install as well as from a wheel."""
