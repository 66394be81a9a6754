"""The guest form: decomposed text stored composed, joined emoji accepted, controls refused."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.pages.test_web_form import confirmation_path, page_of, recorded, submit

NGUYEN_NFD = unicodedata.normalize("NFD", "Nguyễn Thị Mai")
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


def test_form_stores_names_composed_and_keeps_joined_emoji(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    confirmation_path(
        submit(client, 1, full_name=NGUYEN_NFD, organisation=f"Team {ENGLAND}", dietary=FAMILY)
    )
    [row] = recorded(client, organiser)
    assert row["full_name"] == "Nguyễn Thị Mai"
    assert unicodedata.is_normalized("NFC", row["full_name"])
    assert row["organisation"] == f"Team {ENGLAND}"
    assert row["dietary"] == FAMILY


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("full_name", "Mai\x1bNguyen"),
        ("organisation", "HKSTP\u202e"),
        ("job_title", "\u2067Director"),
    ],
)
def test_form_refuses_control_characters_next_to_the_field(
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    field: str,
    text: str,
) -> None:
    response = submit(client, 1, **{field: text})
    assert response.status_code == 422
    page = page_of(response)
    assert page.text(f"{field}-error"), f"no inline message for {field}"
    assert [
        name for name in ("full_name", "organisation", "job_title") if page.text(f"{name}-error")
    ] == [field]
    assert recorded(client, organiser) == []
