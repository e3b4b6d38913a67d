"""A plain-text article's title is its headline line, when it stands alone; never a file path."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph.ingest import read_inputs
from quotegraph.ingest.headline import headline
from quotegraph.model import Article


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Ferry suspended after storm\n\nThe ferry will not run until Friday, the authority said.",
            "Ferry suspended after storm",
        ),
        ("  Ferry  suspended after storm  \nThe ferry will not run.", "Ferry suspended after storm"),
        (
            "Ferry suspended\n\nFerry suspended\n\nThe ferry will not run.",
            "Ferry suspended",
        ),  # repeated: one title
        (
            "Stealth over health: the clinic closed early.\n\nBody text follows here.",
            "Stealth over health: the clinic closed early.",
        ),
        ("By Jane Doe\n\nThe ferry will not run.", None),  # a byline is no title
        ("The ferry will not run until Friday.", None),  # one line: all body
        (" ".join(["word"] * 30) + "\n\nMore text.", None),  # a paragraph, not a headline
        ("\n\n\n", None),
    ],
)
def test_headline(text: str, title: str | None) -> None:
    assert headline(text) == title


def test_a_text_file_is_titled_by_its_headline_and_keeps_its_text(tmp_path: Path) -> None:
    text = "Harbour reopens after repairs\n\nThe harbour reopened on Monday, officials said.\n"
    (tmp_path / "harbour.txt").write_text(text, encoding="utf-8")
    (tmp_path / "note.txt").write_text("Just one line of notes.", encoding="utf-8")
    articles = {Path(a.id).name: a for a in read_inputs([tmp_path]) if isinstance(a, Article)}
    assert articles["harbour.txt"].title == "Harbour reopens after repairs"
    assert articles["harbour.txt"].text == text  # the headline stays in the text: offsets point into it
    assert articles["note.txt"].title is None
