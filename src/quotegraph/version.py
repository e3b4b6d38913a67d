"""The version, written once: pyproject.toml reads it (without importing quotegraph), the command
line prints it without the package metadata look-up (0.3 s), and ``quotegraph.__version__`` is it."""

__version__ = "0.1.0"
