"""The README documents every command and option (after sqlite-utils' test_docs.py)."""

from pathlib import Path

import click
import pytest

from newsarchive.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def commands():
    return sorted(main.commands.items())


@pytest.mark.parametrize(("name", "command"), commands())
def test_every_command_and_option_is_in_the_readme(name, command):
    assert f"newsarchive {name}" in README or f"`{name}`" in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(f"{opt}" in README for opt in param.opts), f"{name} {param.opts}"


def test_global_options_are_in_the_readme():
    for param in main.params:
        if isinstance(param, click.Option) and param.name != "version":
            assert param.opts[0] in README
