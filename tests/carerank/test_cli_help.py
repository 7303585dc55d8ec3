"""Every command's help reads well in a narrow and a wide terminal: paragraphs are wrapped by the
terminal, never broken by a line break left in a docstring, and each help ends with an example
that the command line accepts."""

from __future__ import annotations

import re
import shlex
import textwrap
from itertools import pairwise

import pytest
import typer
from typer.testing import CliRunner

from carerank.cli import app

GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)
WIDTHS = (80, 120)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
BORDER = "│"


def render_help(args: list[str], width: int) -> str:
    result = CliRunner().invoke(
        app, [*args, "--help"], env={"COLUMNS": str(width), "NO_COLOR": "1"}, prog_name="carerank"
    )
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.output)


def _text_start(line: str) -> int | None:
    """The column where a line's text starts, inside a panel's border if it has one."""
    body = line[1:] if line.startswith(BORDER) else line
    stripped = body.lstrip(" ")
    if not stripped or stripped.startswith(BORDER):
        return None
    return len(line) - len(stripped)


def broken_lines(help_text: str, width: int) -> list[str]:
    """Places where a line ends although the next line's first word would have fitted on it:
    a line break typed into the source, not one made by wrapping to the terminal's width.

    Two lines belong to the same paragraph (or table cell) when the second one's text starts
    where a single run of text on the first one starts. Typer's own ``[default: …]`` and
    ``[required]`` notes are laid out as separate blocks and may start a line early; example
    paragraphs are laid out line by line on purpose."""
    broken = []
    lines = help_text.splitlines()
    in_example = False
    for above, below in pairwise(lines):
        if above.strip(f" {BORDER}").startswith("Example"):
            in_example = True
        elif not above.strip(f" {BORDER}"):
            in_example = False
        start = _text_start(below)
        if in_example or start is None or start >= len(above) or start == 0:
            continue
        if above[start - 1] != " " or above[start] == " ":
            continue  # the text above does not start in the same column: another paragraph
        right = above.rindex(BORDER) - 1 if above.rstrip().endswith(BORDER) else width - 1
        segment = above[start:right].rstrip()
        if "  " in segment:
            continue  # several table columns, not one cell's text
        word = below[start:].split()[0]
        if word.startswith("["):
            continue
        if len(segment) + 1 + len(word) < right - start:
            broken.append(f"{above.rstrip()}\n{below.rstrip()}")
    return broken


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_wrapped_by_the_terminal_only(command, width):
    help_text = render_help([command] if command else [], width)
    assert max(len(line) for line in help_text.splitlines()) <= width
    assert broken_lines(help_text, width) == []


def test_the_check_tells_a_typed_line_break_from_wrapping():
    sentence = (
        "Land the input and build the days it covers through the asset graph, then the marts."
    )
    wrapped = "".join(f" {line}\n" for line in textwrap.wrap(sentence, 78))
    assert broken_lines(wrapped, 80) == []
    typed = sentence.replace("graph, ", "graph,\n ")
    assert broken_lines(f" {typed}\n", 80) != []
    in_a_panel = f"│ run  {'Land the input and build':<71}│\n│      {'the days it covers.':<71}│\n"
    assert broken_lines(in_a_panel, 80) != []


def _examples(help_text: str) -> list[list[str]]:
    """The command lines of a help's example paragraph, as argument lists after ``carerank``."""
    paragraphs = [p for p in help_text.split("\n\n") if p.lstrip().startswith("Example")]
    assert paragraphs, "no example paragraph"
    examples = []
    for line in paragraphs[-1].splitlines():
        for command in re.findall(r"carerank\s[^,]+", line):
            examples.append(shlex.split(command)[1:])
    return examples


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_ends_with_an_example_the_command_line_accepts(command):
    doc = (GROUP.commands[command] if command else GROUP).help or ""
    assert doc.rstrip().splitlines()[-1].strip().startswith(("Example", "carerank"))
    examples = _examples(doc)
    assert examples
    for args in examples:
        name, *options = args
        assert name in GROUP.commands, f"example of an unknown command: {args}"
        if command:
            assert name == command, f"the example of {command} runs {name}"
        # Parsing checks every option, its value and the required ones without running anything.
        GROUP.commands[name].make_context(f"carerank {name}", options)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_says_what_it_is(command):
    for param in GROUP.commands[command].params:
        assert getattr(param, "help", None), f"{command} {param.opts} has no help"
