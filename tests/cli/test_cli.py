"""The organiser CLI: demo gathering, tokens, registrations, read models."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from events_app.demo import DEMO_SLUG
from tests.conftest import FakeClock, services_of

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def run(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_gathering_is_created_once_from_the_seed_facts(
    runner: FlaskCliRunner, app: Any, clock: FakeClock
) -> None:
    assert "created" in run(runner, "demo", "create")
    assert "already present" in run(runner, "demo", "create")
    gathering = services_of(app).box_office.gathering(DEMO_SLUG)
    assert gathering.title_zh == "「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式"
    assert "香港科學園深圳分園" in gathering.venue_zh
    assert not CJK.search(gathering.venue), "the English venue holds Chinese"
    assert gathering.timezone == "Asia/Shanghai"
    assert (gathering.starts_at.year, gathering.starts_at.month, gathering.starts_at.day) == (
        2026,
        3,
        2,
    )
    assert gathering.starts_at.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert gathering.capacity >= 200
    assert set(gathering.categories) == {
        "guest",
        "vip",
        "speaker",
        "press",
        "exhibitor",
        "partner",
        "staff",
    }
    assert gathering.is_open_for_registration(clock())
    questions = services_of(app).questionnaires.questionnaire(DEMO_SLUG).in_order()
    assert [q["key"] for q in questions] == ["meal", "signing_ceremony", "interpretation"]
    assert questions[0]["labels"]["zh_Hans_CN"] == "酒会餐饮选择"
    assert questions[1]["categories"] == ["partner", "speaker", "vip"]


def test_demo_after_the_reference_date_moves_to_the_next_2_march(
    runner: FlaskCliRunner, app: Any, clock: FakeClock
) -> None:
    clock.advance(days=300)
    run(runner, "demo", "create")
    gathering = services_of(app).box_office.gathering(DEMO_SLUG)
    assert (gathering.starts_at.year, gathering.starts_at.month, gathering.starts_at.day) == (
        2027,
        3,
        2,
    )
    assert gathering.is_open_for_registration(clock())


def test_tokens_registrations_and_history_from_the_command_line(
    runner: FlaskCliRunner, app: Any
) -> None:
    output = run(runner, "tokens", "create", "--name", "carol")
    token = re.search(r"token \(shown once\): (\S+)", output).group(1)  # type: ignore[union-attr]
    credential_id = re.search(r"credential id: (\S+)", output).group(1)  # type: ignore[union-attr]
    events = services_of(app).box_office
    assert events.authenticate_organiser(token) is not None
    run(runner, "demo", "create")
    from domain.registration import GuestDetails

    vip = events.register_placed(
        DEMO_SLUG,
        GuestDetails("Li Guobin", "li@example.org", "ITC", "Commissioner", True, "李國彬"),
        "vip",
    ).registration
    listed = run(runner, "registrations", "list", "--state", "pending")
    assert "李國彬" in listed
    assert "1 registration(s)" in listed
    assert run(runner, "registrations", "approve", str(vip.id)).strip() == "confirmed"
    refused = runner.invoke(args=["registrations", "reject", str(vip.id)])
    assert refused.exit_code != 0
    assert "invalid_transition" in refused.output
    history = run(runner, "registrations", "history", str(vip.id))
    assert "Submitted" in history
    assert "Approved" in history
    assert "by cli" in history
    run(runner, "tokens", "revoke", credential_id)
    assert events.authenticate_organiser(token) is None


@pytest.mark.parametrize(
    ("environment", "expected", "absent"),
    [
        ({"LANG": "zh_HK.UTF-8"}, "不能拒絕", "cannot"),
        ({"LANG": "en_GB.UTF-8", "LAUNCH_EVENTS_LANGUAGE": "zh-CN"}, "不能拒绝", "cannot"),
        ({"LANG": "C.UTF-8"}, "cannot", "不能"),
    ],
)
def test_a_refusal_is_said_in_the_terminals_language(
    runner: FlaskCliRunner,
    app: Any,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    expected: str,
    absent: str,
) -> None:
    run(runner, "demo", "create")
    events = services_of(app).box_office
    from domain.registration import GuestDetails

    guest = events.register_placed(
        DEMO_SLUG, GuestDetails("Ho Wing", "ho@example.org", "HKSTP", "Manager", True), "guest"
    ).registration
    for name in ("LAUNCH_EVENTS_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    refused = runner.invoke(args=["registrations", "reject", str(guest.id)])
    assert refused.exit_code != 0
    assert "invalid_transition" in refused.output
    assert expected in refused.output
    assert absent not in refused.output
