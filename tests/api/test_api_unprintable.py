"""Names the fonts cannot print, shown to organisers before printing (SQLite and PostgreSQL).

A character no face of the fallback chain covers (a hieroglyph, an emoji, an ideograph
beyond the CJK font) is listed in `unprintable` on the registration, on the guest list, on
the badge print listing and on ceremony people; the batch of badges says how many.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from domain.personal import erased_value
from tests.conftest import SLUG, guest, services_of
from tests.pdf_helpers import page_texts, write
from tests.planning_helpers import CEREMONIES, add_item, create_gathering, plan_ceremony

REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
BADGES = f"/api/v1/gatherings/{SLUG}/badges"
HIEROGLYPH, EMOJI = "\U00013000", "\U0001f600"


def register(client: FlaskClient, n: int, **overrides: Any) -> Any:
    response = client.post(REGISTER, json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return response.json


def listed(client: FlaskClient, organiser: dict[str, str]) -> dict[str, list[str]]:
    """Return each guest's unprintable characters, by name, from the guest list."""
    items = client.get(REGISTER, headers=organiser).json["items"]
    return {item["full_name"]: item["unprintable"] for item in items}


def test_a_name_with_a_hieroglyph_is_flagged_on_the_registration_and_the_list(
    client: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    scribe = register(client, 1, full_name=f"Ankh {HIEROGLYPH} Scribe")
    register(client, 2, full_name="Chan Tai Man", organisation=f"Smile Ltd {EMOJI}{HIEROGLYPH}")
    register(client, 3, full_name="Nguyễn Văn An", name_zh="陳大文")
    assert scribe["unprintable"] == [HIEROGLYPH]
    again = client.get(f"/api/v1/registrations/{scribe['id']}", headers=organiser).json
    assert again["unprintable"] == [HIEROGLYPH]
    assert listed(client, organiser) == {
        f"Ankh {HIEROGLYPH} Scribe": [HIEROGLYPH],
        "Chan Tai Man": [EMOJI, HIEROGLYPH],
        "Nguyễn Văn An": [],
    }


def test_a_corrected_name_is_no_longer_flagged_and_a_rebuild_keeps_the_flags(
    app: Flask, client: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    scribe = register(client, 1, full_name=f"Ankh {HIEROGLYPH} Scribe")
    register(client, 2, full_name=f"Smile {EMOJI}")
    path = f"/api/v1/registrations/{scribe['id']}"
    fixed = client.patch(path, json={"full_name": "Ankh Scribe"}, headers=organiser)
    assert fixed.status_code == 200, fixed.json
    assert fixed.json["unprintable"] == []
    before = listed(client, organiser)
    assert before == {"Ankh Scribe": [], f"Smile {EMOJI}": [EMOJI]}
    services_of(app).guest_list.rebuild()
    assert listed(client, organiser) == before


def test_the_badge_listing_names_what_cannot_print_and_counts_it(
    client: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    register(client, 1, full_name=f"Ankh {HIEROGLYPH} Scribe")
    register(client, 2, full_name="Chan Tai Man")
    register(client, 3, full_name="Ho Ka Yan", job_title=f"Director {EMOJI}")
    body = client.get(BADGES, headers=organiser).json
    assert (body["total"], body["unprintable"]) == (3, 2)
    names = [(i["full_name"], i["unprintable"]) for i in body["items"]]
    assert names == [
        (f"Ankh {HIEROGLYPH} Scribe", [HIEROGLYPH]),
        ("Chan Tai Man", []),
        ("Ho Ka Yan", [EMOJI]),
    ]
    only = client.get(BADGES, query_string={"unprintable_only": "true"}, headers=organiser).json
    assert [i["full_name"] for i in only["items"]] == [f"Ankh {HIEROGLYPH} Scribe", "Ho Ka Yan"]
    assert (only["total"], only["unprintable"]) == (3, 2)
    sheet = client.get(f"{BADGES}.pdf", headers=organiser)
    assert sheet.status_code == 200
    assert sheet.headers["X-Unprintable-Badges"] == "2"


def test_the_badge_listing_refuses_a_bad_filter_naming_it(
    client: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    response = client.get(BADGES, query_string={"unprintable_only": "maybe"}, headers=organiser)
    assert response.status_code == 422
    assert "unprintable_only" in response.json["error"]["fields"]
    assert client.get(BADGES).status_code == 401


def test_ceremony_people_with_unprintable_names_are_flagged(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    planned = plan_ceremony(client, organiser)
    people = [
        {"name_en": f"Scribe {HIEROGLYPH}", "name_zh": "", "organisation": "HKSTP"},
        {"name_en": "Chan Tai Man", "name_zh": "陳大文", "organisation": "HKSTP"},
    ]
    added = add_item(client, organiser, planned["id"], people=people)
    assert [p["unprintable"] for p in added["items"][0]["people"]] == [[HIEROGLYPH], []]
    again = client.get(f"{CEREMONIES}/{planned['id']}", headers=organiser).json
    assert [p["unprintable"] for p in again["items"][0]["people"]] == [[HIEROGLYPH], []]


def test_the_flags_are_in_the_openapi_document(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    for name in ("Registration", "PersonOut", "BadgeListItem"):
        assert schemas[name]["properties"]["unprintable"]["type"] == "array", name
    assert schemas["BadgeList"]["properties"]["unprintable"]["type"] == "integer"
    listing = spec["paths"]["/api/v1/gatherings/{slug}/badges"]["get"]
    assert set(listing["responses"]) >= {"200", "401", "403", "404", "422"}
    assert "unprintable_only" in {p["name"] for p in listing["parameters"]}
    sheet = spec["paths"]["/api/v1/gatherings/{slug}/badges.pdf"]["get"]["responses"]["200"]
    assert "X-Unprintable-Badges" in sheet["headers"]


def test_an_erased_guest_keeps_no_unprintable_characters(
    app: Flask, client: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    scribe = register(client, 1, full_name=f"Ankh {HIEROGLYPH} Scribe")
    services_of(app).personal_data.erase(UUID(scribe["id"]), "owner:test", "asked")
    assert list(listed(client, organiser).values()) == [[]]
    body = client.get(BADGES, headers=organiser).json
    assert body["unprintable"] == 0


def test_an_erased_guest_gets_no_badge_in_a_batch(
    app: Flask, client: FlaskClient, gathering: Any, organiser: dict[str, str], tmp_path: Path
) -> None:
    kept = register(client, 1, full_name="Chan Tai Man")
    erased = register(client, 2, full_name="Ho Ka Yan")
    register(client, 3, full_name="Lee Ka Ho")
    services_of(app).personal_data.erase(UUID(erased["id"]), "owner:test", "asked")
    body = client.get(BADGES, headers=organiser).json
    assert kept["id"] in [item["registration_id"] for item in body["items"]]
    assert erased["id"] not in [item["registration_id"] for item in body["items"]]
    assert body["total"] == 2
    sheet = client.get(f"{BADGES}.pdf", headers=organiser)
    assert sheet.status_code == 200
    text = "".join(page_texts(write(tmp_path, "sheet.pdf", sheet.data)))
    assert "Chan Tai Man" in text
    assert "Lee Ka Ho" in text
    assert erased_value("full_name") not in text
    assert text.count("GUEST") == 2  # two badges, no blank card for the erased guest
