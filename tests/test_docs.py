"""Every command and every setting a user can reach is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from quotegraph.serve.cli import main
from quotegraph.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()[1:]] == [
        "make demo",
        "make test",
    ]


@pytest.mark.parametrize("command", main.list_commands(click.Context(main)))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`quotegraph {command}" in README


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README or SETTINGS[name].env_var in README
