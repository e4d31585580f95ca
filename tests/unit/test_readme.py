"""The README's rights table is the code's table."""

from pathlib import Path

from domain.kernel.rights_table import BEGIN, END, markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_rights_table_matches_the_code():
    text = README.read_text(encoding="utf-8")
    section = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert section == markdown(), "run: .venv/bin/python -m domain.kernel.rights_table"


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
