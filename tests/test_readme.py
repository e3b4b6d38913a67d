"""The README's examples are what the commands print: every `$ quotegraph ...` line of its code blocks
runs as a user would run it (the installed `quotegraph`, in a folder holding examples/ ingested into
quotegraph.db as `make demo` does, 100 columns wide), and its output must be the lines the README
shows under it, where a line `[...]` stands for any lines left out. `make demo` runs the same commands."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUOTEGRAPH = Path(sys.executable).parent / "quotegraph"
# The bidi isolates the tables put around article words and names (U+2066-U+2069) take no room on
# screen, and the README shows what a reader sees.
ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


def examples_shown() -> list[tuple[str, list[str]]]:
    """(command line, the lines shown under it) for every `$ quotegraph` line in a code block."""
    found = []
    for lines in code_blocks():
        starts = [n for n, line in enumerate(lines) if line.startswith("$ quotegraph ")]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            shown = lines[start + 1 : end]
            while shown and not shown[-1].strip():
                shown.pop()
            found.append((lines[start][2:], shown))
    return found


def code_blocks() -> list[list[str]]:
    blocks: list[list[str]] = []
    inside = False
    for line in README.split("\n"):
        if line.startswith("```"):
            inside = not inside
            if inside:
                blocks.append([])
        elif inside:
            blocks[-1].append(line)
    return blocks


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether ``printed`` is ``shown``, each `[...]` line standing for any run of lines."""
    pattern = "".join(".*?" if line == "[...]" else re.escape(line + "\n") for line in shown)
    return re.fullmatch(pattern, "".join(line + "\n" for line in printed), flags=re.DOTALL) is not None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "examples", folder / "examples")
    ingested = subprocess.run(
        [str(QUOTEGRAPH), "ingest", "examples/", "--db", "quotegraph.db"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert ingested.returncode == 0, ingested.stderr
    return folder


def test_the_readme_has_examples_to_run() -> None:
    commands = [command for command, _ in examples_shown()]
    assert "quotegraph quotes --speaker Okafor" in commands and len(commands) >= 4
    assert all(shown for _, shown in examples_shown())


@pytest.mark.parametrize(("command", "shown"), examples_shown(), ids=[c for c, _ in examples_shown()])
def test_each_example_prints_what_the_readme_shows(demo: Path, command: str, shown: list[str]) -> None:
    env = {**os.environ, "COLUMNS": "100", "QUOTEGRAPH_DB": "quotegraph.db"}
    args = re.findall(r'"[^"]*"|\S+', command)[1:]
    result = subprocess.run(
        [str(QUOTEGRAPH), *[a.strip('"') for a in args]], cwd=demo, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    printed = [line.rstrip() for line in result.stdout.translate(ISOLATES).rstrip("\n").split("\n")]
    assert matches(shown, printed), "\n".join(printed)


def test_make_demo_runs_the_readme_examples() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for command, _ in examples_shown():
        assert f"@echo '$$ {command}'" in makefile, command
    assert "run it as $(VENV)/bin/quotegraph" in makefile


def test_the_wildcard_can_fail() -> None:
    assert matches(["a", "[...]", "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "[...]", "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "b", "c"])
