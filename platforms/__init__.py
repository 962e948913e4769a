"""The built-in boards (package data, not code): a package so importlib.resources can find
this folder from an editable install as well as from a wheel."""
