"""The README stays true: every setting and every command is documented there."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from graphbuild.cli import main
from graphbuild.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_documented(name: str) -> None:
    assert re.search(rf"`{name}`", README), f"setting {name} is missing from README.md"


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command: str) -> None:
    assert f"`{command}" in README, f"command {command} is missing from README.md"


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    cmd = main.commands[command]
    assert isinstance(cmd, click.Command) and (cmd.help or "").strip()


def test_the_two_commands_are_the_quickstart() -> None:
    assert "make run" in README and "make test" in README
