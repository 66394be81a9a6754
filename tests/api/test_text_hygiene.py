"""Text typed by guests: stored in NFC, joined emoji accepted, control characters refused."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import SLUG, guest

REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
NGUYEN_NFD = unicodedata.normalize("NFD", "Nguyễn Văn An")
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # tag sequence
HEART = "\u2764\ufe0f"  # with a variation selector
PERSIAN = "می\u200cخواهم"  # a zero-width non-joiner inside a word


def test_decomposed_name_is_stored_composed(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    assert NGUYEN_NFD != "Nguyễn Văn An"
    created = client.post(REGISTER, json=guest(1, full_name=NGUYEN_NFD, dietary=NGUYEN_NFD))
    assert created.status_code == 201, created.json
    stored = client.get(f"/api/v1/registrations/{created.json['id']}", headers=organiser).json
    assert stored["full_name"] == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", stored["full_name"])
    assert stored["dietary"] == "Nguyễn Văn An"
    query = {"q": "nguyễn"}
    listed = client.get(REGISTER, query_string=query, headers=organiser).json
    assert listed["total"] == 1


@pytest.mark.parametrize("text", [FAMILY, ENGLAND, HEART, PERSIAN])
def test_joined_emoji_and_joiners_are_accepted(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str], text: str
) -> None:
    created = client.post(REGISTER, json=guest(1, full_name=f"Ann {text}", organisation=text))
    assert created.status_code == 201, created.json
    stored = client.get(f"/api/v1/registrations/{created.json['id']}", headers=organiser).json
    assert (stored["full_name"], stored["organisation"]) == (f"Ann {text}", text)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("full_name", "Ann\x00Lee"),
        ("full_name", "Ann\x1bLee"),
        ("name_zh", "黃\x7f秉修"),
        ("organisation", "HKSTP\u202e"),  # right-to-left override
        ("organisation", "\u202aHKSTP"),
        ("job_title", "Director\u2066"),  # left-to-right isolate
        ("job_title", "\u2069Director"),
        ("dietary", "none\x0bplease"),  # vertical tab: not the white space allowed
        ("organisation", "A\u200bB"),  # zero-width space
    ],
)
def test_control_characters_are_refused_naming_the_field(
    client: FlaskClient, gathering: dict[str, Any], field: str, text: str
) -> None:
    response = client.post(REGISTER, json=guest(1, **{field: text}))
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["field"] == field
    assert list(error["fields"]) == [field]
    assert "control characters" in error["fields"][field][0]
    assert field in error["message"]


def test_line_breaks_are_kept_in_free_text(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    created = client.post(REGISTER, json=guest(1, dietary="no nuts\r\n\tno shellfish"))
    assert created.status_code == 201, created.json
    assert created.json["dietary"] == "no nuts\r\n\tno shellfish"
