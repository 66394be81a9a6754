"""The API's error `message` is said in the request's Accept-Language; its `code` never changes.

Without Accept-Language the messages are the English ones the other API tests assert.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import SLUG, gathering_payload, guest

HK = {"Accept-Language": "zh-HK"}
CN = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}


def error_of(response: Any, status: int) -> dict[str, Any]:
    """Return the error of a response, after checking its status."""
    assert response.status_code == status, response.json
    return dict(response.json["error"])


def test_a_refusal_with_parameters_is_said_in_each_language(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    def again(language: dict[str, str]) -> dict[str, Any]:
        response = client.post(
            "/api/v1/gatherings", json=gathering_payload(), headers=organiser | language
        )
        return error_of(response, 409)

    english, hk, cn = again({}), again(HK), again(CN)
    assert english["message"] == f"a gathering with slug {SLUG!r} exists already"
    assert hk["message"] == f"代號為 {SLUG!r} 的活動已存在"
    assert cn["message"] == f"代号为 {SLUG!r} 的活动已存在"
    assert english["code"] == hk["code"] == cn["code"] == "already_exists"
    assert english["field"] == hk["field"] == cn["field"] == "slug"
    assert hk["fields"] == {"slug": [hk["message"]]}


def test_a_missing_record_and_a_missing_token_are_said_in_chinese(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    missing = error_of(client.get("/api/v1/gatherings/nowhere", headers=organiser | HK), 404)
    assert (missing["code"], missing["message"]) == ("not_found", "找不到活動")
    missing = error_of(client.get("/api/v1/gatherings/nowhere", headers=organiser | CN), 404)
    assert (missing["code"], missing["message"]) == ("not_found", "找不到活动")
    missing = error_of(client.get("/api/v1/gatherings/nowhere", headers=organiser), 404)
    assert missing["message"] == "gathering not found"

    unsigned = error_of(client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers=CN), 401)
    assert (unsigned["code"], unsigned["message"]) == ("unauthorized", "须提供 Bearer 令牌")
    unsigned = error_of(client.get(f"/api/v1/gatherings/{SLUG}/registrations"), 401)
    assert unsigned["message"] == "a bearer token is required"


def test_an_unknown_route_says_werkzeug_s_message_translated(client: FlaskClient) -> None:
    english = error_of(client.get("/api/v1/no-such-thing"), 404)
    hk = error_of(client.get("/api/v1/no-such-thing", headers=HK), 404)
    assert english["message"].startswith("The requested URL was not found on the server.")
    assert hk["message"].startswith("伺服器上找不到所要求的網址")
    assert english["code"] == hk["code"] == "not_found"


@pytest.mark.parametrize(
    ("language", "required", "email"),
    [
        ({}, "Missing data for required field.", "Not a valid email address."),
        (HK, "此欄必須填寫。", "這不是有效的電郵地址。"),
        (CN, "此栏必须填写。", "这不是有效的电子邮件地址。"),
    ],
)
def test_validation_messages_are_said_in_the_request_s_language(
    client: FlaskClient,
    gathering: dict[str, Any],
    language: dict[str, str],
    required: str,
    email: str,
) -> None:
    body = guest(email="no-at-sign")
    del body["full_name"]
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=body, headers=language)
    error = error_of(response, 422)
    assert error["code"] == "validation_failed"
    assert error["fields"]["full_name"] == [required]
    assert error["fields"]["email"] == [email]
    first = error["field"]
    colon = ": " if not language else "："
    assert error["message"] == f"{first}{colon}{error['fields'][first][0]}"
