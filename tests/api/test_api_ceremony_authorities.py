"""The ceremony item API: an award's issuing authorities and any item's presenters.

Run on SQLite and on PostgreSQL (the `client` fixture is parametrised over both stores).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.services.documents import Documents
from tests.conftest import SLUG, services_of
from tests.planning_helpers import (
    CEREMONIES,
    add_item,
    assert_error,
    create_gathering,
    item_body,
    plan_ceremony,
    stored_events,
)

BUREAU = {
    "name_en": "Shenzhen Municipal Public Security Bureau Exit-Entry Administration",
    "name_zh": "深圳市公安局出入境管理局",
    "signatory": {
        "name_en": "Lau Chi Keung (sample)",
        "name_zh": "劉志強（示例）",
        "title_en": "Director (sample)",
        "title_zh": "局長（示例）",
    },
    "seal": True,
}
HETAO = {"name_en": "Hetao Development Authority", "name_zh": "河套發展署"}
PRESENTER = {
    "name_en": "Zhong Hai",
    "name_zh": "钟海",
    "title": "Director (sample)",
    "organisation": "Hetao Development Authority 河套發展署",
}


def award_item(**changes: Any) -> dict[str, Any]:
    return item_body(
        "SAMPLE-BVE-001", **{"authorities": [BUREAU, HETAO], "presenters": [PRESENTER], **changes}
    )


@pytest.fixture
def award(client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    create_gathering(client, organiser)
    return dict(plan_ceremony(client, organiser, kind="award", title_en="Certificates"))


def test_an_award_item_keeps_its_authorities_and_presenters(
    client: FlaskClient, organiser: dict[str, str], award: dict[str, Any]
) -> None:
    added = client.post(f"{CEREMONIES}/{award['id']}/items", json=award_item(), headers=organiser)
    assert added.status_code == 201, added.json
    shown = client.get(f"{CEREMONIES}/{award['id']}", headers=organiser).json["items"][0]
    assert shown["authorities"] == [
        BUREAU,
        {
            **HETAO,
            "signatory": {"name_en": "", "name_zh": "", "title_en": "", "title_zh": ""},
            "seal": False,
        },
    ]
    assert shown["presenters"] == [{**PRESENTER, "registration_id": ""}]

    path = f"{CEREMONIES}/{award['id']}/items/{added.json['item_id']}"
    changed = client.put(path, json=award_item(authorities=[], presenters=[]), headers=organiser)
    assert changed.status_code == 200, changed.json
    assert (changed.json["items"][0]["authorities"], changed.json["items"][0]["presenters"]) == (
        [],
        [],
    )


def test_an_item_without_them_has_none(
    client: FlaskClient, organiser: dict[str, str], award: dict[str, Any]
) -> None:
    shown = add_item(client, organiser, award["id"])["items"][0]
    assert (shown["authorities"], shown["presenters"]) == ([], [])


BAD_ITEMS = [
    ({"authorities": [{"name_en": "", "name_zh": ""}]}, "invalid_value", "authorities"),
    ({"authorities": [{"name_en": "X" * 201}]}, "validation_failed", "authorities.0.name_en"),
    ({"authorities": [{"name_zh": "署" * 101}]}, "validation_failed", "authorities.0.name_zh"),
    (
        {"authorities": [{"name_en": "X", "seal": "perhaps"}]},
        "validation_failed",
        "authorities.0.seal",
    ),
    (
        {"authorities": [{"name_en": "X", "signatory": {"title_en": "Director"}}]},
        "invalid_value",
        "authorities",
    ),
    (
        {"authorities": [{"name_en": "X", "signatory": {"name_zh": "劉" * 61}}]},
        "validation_failed",
        "authorities.0.signatory.name_zh",
    ),
    ({"authorities": [HETAO, HETAO]}, "invalid_value", "authorities"),
    ({"authorities": [{"name_en": f"A{n}"} for n in range(7)]}, "validation_failed", "authorities"),
    ({"authorities": "Hetao"}, "validation_failed", "authorities"),
    ({"presenters": [{"name_en": "", "organisation": "HKSTP"}]}, "invalid_value", "presenters"),
    ({"presenters": [{"name_en": "Zhong Hai"}]}, "validation_failed", "presenters.0.organisation"),
]


def test_bad_authorities_and_presenters_answer_422_naming_the_field(
    app: Flask, client: FlaskClient, organiser: dict[str, str], award: dict[str, Any]
) -> None:
    events = stored_events(app, UUID(award["id"]))
    wrong = []
    for changes, code, field in BAD_ITEMS:
        body = item_body("SAMPLE-BVE-009", **changes)
        response = client.post(f"{CEREMONIES}/{award['id']}/items", json=body, headers=organiser)
        error = (response.json or {}).get("error") or {}
        got = (response.status_code, error.get("code"), error.get("field"))
        if got != (422, code, field) or field not in error.get("fields", {}):
            wrong.append(f"{str(changes)[:60]}: got {got}: {response.json}")
    assert wrong == []
    assert stored_events(app, UUID(award["id"])) == events


def test_a_signing_names_no_issuing_authority(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    signing = plan_ceremony(client, organiser)
    response = client.post(
        f"{CEREMONIES}/{signing['id']}/items", json=award_item(), headers=organiser
    )
    assert_error(response, 422, "invalid_value", "authorities")
    witnessed = add_item(client, organiser, signing["id"], presenters=[PRESENTER])
    assert witnessed["items"][0]["presenters"][0]["name_zh"] == "钟海"


def test_a_presenter_s_registration_must_be_of_the_gathering(
    client: FlaskClient, organiser: dict[str, str], award: dict[str, Any]
) -> None:
    stranger = {**PRESENTER, "registration_id": str(UUID(int=7))}
    response = client.post(
        f"{CEREMONIES}/{award['id']}/items",
        json=item_body("SAMPLE-BVE-002", presenters=[stranger]),
        headers=organiser,
    )
    assert_error(response, 404, "not_found", "presenters")


def test_the_openapi_document_shows_authorities_and_presenters(client: FlaskClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    item_in = schemas["CeremonyItemIn"]["properties"]
    assert item_in["authorities"]["maxItems"] == 6
    assert item_in["presenters"]["items"]["$ref"].endswith("/Person")
    authority = schemas["Authority"]["properties"]
    assert set(authority) == {"name_en", "name_zh", "signatory", "seal"}
    assert authority["seal"]["type"] == "boolean"
    assert set(schemas["Signatory"]["properties"]) == {"name_en", "name_zh", "title_en", "title_zh"}
    item_out = schemas["CeremonyItem"]["properties"]
    assert item_out["authorities"]["items"]["$ref"].endswith("/AuthorityOut")
    assert item_out["presenters"]["items"]["$ref"].endswith("/PersonOut")


def test_the_documents_carry_authorities_and_draft_until_ready(
    app: Flask, client: FlaskClient, organiser: dict[str, str], award: dict[str, Any]
) -> None:
    documents = Documents(services_of(app).box_office)
    add_item(client, organiser, award["id"], **award_item())
    signing = plan_ceremony(client, organiser, title_en="Signing")
    add_item(client, organiser, signing["id"])
    ids = {"award": UUID(award["id"]), "signing": UUID(signing["id"])}

    def drafts() -> tuple[bool, bool]:
        certificates = documents.certificates(SLUG, ids["award"])
        [agreement] = documents.agreements(SLUG, ids["signing"])
        assert len({c.draft for c in certificates}) == 1
        return certificates[0].draft, agreement.draft

    certificate = documents.certificates(SLUG, ids["award"], language="zh_Hans_CN")[-1]
    assert [a.name_zh for a in certificate.authorities] == [
        "深圳市公安局出入境管理局",
        "河套发展署",
    ]
    assert certificate.authorities[0].signatory.title_zh == "局长（示例）"
    assert certificate.authorities[0].seal is True
    assert drafts() == (True, True)
    for ceremony_id in ids.values():
        ready = client.post(f"{CEREMONIES}/{ceremony_id}/ready", headers=organiser)
        assert ready.status_code == 200, ready.json
    assert drafts() == (False, False)
