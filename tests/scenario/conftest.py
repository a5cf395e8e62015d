"""The `problems_in` fixture: write a scenario text to a temporary file and check it."""

from __future__ import annotations

import pytest

from zenit.scenario import check_scenario


@pytest.fixture
def problems_in(tmp_path):
    """problems_in(text) -> the problems `check_scenario` finds in that text."""

    def check(text: str, name: str = "case.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return check_scenario(path)

    return check
