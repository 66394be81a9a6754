"""Printed documents through the API and the CLI: content, versions ("as of"), refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from domain.ceremony import CeremonyItem, Person
from domain.exhibition import BoothSlot, FirmProfile
from domain.running_order import AgendaItem
from tests.checkin_helpers import enrol_device
from tests.conftest import SLUG, FakeClock, services_of
from tests.pdf_helpers import font_rows, page_count, page_texts, squeezed, write
from tests.planning_helpers import assert_error, create_gathering

BASE = f"/api/v1/gatherings/{SLUG}"
DAY = datetime.fromisoformat("2026-03-02T09:30:00+08:00")
ACTOR = "alice"
FIRM = "Quantum Lotus Robotics"
OLD_TITLE = "Welcome by the Hetao Authority"
NEW_TITLE = "Opening address by the Secretary"


def signatory(name_en: str, name_zh: str, organisation: str) -> Person:
    """Return a signatory or recipient."""
    return Person(name_en=name_en, name_zh=name_zh, title="Director", organisation=organisation)


def signing_item(reference: str = "TA-2026-001", **changes: Any) -> CeremonyItem:
    """Return a tenancy agreement with two signatories."""
    fields: dict[str, Any] = {
        "reference": reference,
        "title_en": "Tenancy agreement: Lingding Language AI",
        "title_zh": "入駐協議：伶仃語言智能",
        "parties": ("HKSTP", "Lingding Language AI"),
        "people": (
            signatory("Chan Tai Man", "陳大文", "HKSTP"),
            signatory("Leung Hiu Tung", "梁曉彤", "Lingding Language AI"),
        ),
        "clauses": ("1. Premises: desk B-301, Block B.", "2. Term: two years."),
    }
    fields.update(changes)
    return CeremonyItem(**fields)


def plan_day(app: Flask, client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    """Create the gathering and plan a slot, a firm, an agenda item, a signing and an award."""
    create_gathering(client, organiser)
    planning = services_of(app).planning
    planning.define_slot(SLUG, BoothSlot("A-01", "Zone A", "G/F", "ai-data", "3x3"), ACTOR)
    firm_id, _ = planning.apply(SLUG, FirmProfile(FIRM, "量子蓮花機械人", "ai-data"), ACTOR)
    planning.allocate(SLUG, firm_id, "A-01", ACTOR)
    agenda = AgendaItem(
        starts_at=DAY,
        ends_at=DAY + timedelta(minutes=15),
        title_en=OLD_TITLE,
        title_zh="歡迎辭",
        kind="speech",
        location="Block B atrium",
        speaker_name="Sun Dong 孫東",
    )
    agenda_id, _ = planning.schedule_item(SLUG, agenda, ACTOR)
    signing = planning.plan_ceremony(
        SLUG,
        ACTOR,
        kind="signing",
        title_en="Tenant enterprise signing ceremony",
        title_zh="入駐企業簽約儀式",
        starts_at=DAY + timedelta(minutes=40),
        location="Block B atrium",
    )
    item_id, _ = planning.add_ceremony_item(SLUG, signing.id, signing_item(), ACTOR)
    award = planning.plan_ceremony(
        SLUG,
        ACTOR,
        kind="award",
        title_en="Presentation of endorsement certificates",
        title_zh="頒發備案證書",
        starts_at=DAY + timedelta(minutes=80),
        location="Block B atrium",
    )
    planning.add_ceremony_item(
        SLUG,
        award.id,
        CeremonyItem(
            reference="CERT-2026",
            title_en="Business Visa Endorsement",
            title_zh="商務簽注備案證書",
            parties=(),
            people=(
                signatory("Ho Wing-yan", "何詠欣", "LinguaBridge Language Models"),
                signatory("Yu Chen", "魚晨", "Micro Force Sensing Technology"),
            ),
            clauses=("For outstanding work in the Hetao Hong Kong Youth Innovation Valley.",),
        ),
        ACTOR,
    )
    return {
        "firm_id": firm_id,
        "agenda_id": agenda_id,
        "agenda": agenda,
        "signing": signing.id,
        "item_id": item_id,
        "award": award.id,
    }


def pdf_text(tmp_path: Path, name: str, response: Any) -> str:
    """Check a PDF response and return its text, squeezed."""
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f'filename="{name}' in response.headers["Content-Disposition"]
    return squeezed("".join(page_texts(write(tmp_path, f"{uuid4().hex}.pdf", response.data))))


def test_programme_shows_the_plan_with_fonts_embedded(
    app: Flask, client: FlaskClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    plan_day(app, client, organiser)
    response = client.get(f"{BASE}/programme.pdf", headers=organiser)
    text = pdf_text(tmp_path, "programme-launch-2026", response)
    for expected in (
        "河套香港青年科創谷啟動儀式",
        OLD_TITLE,
        "SunDong孫東",
        "Tenantenterprisesigningceremony",
        "Presentationofendorsementcertificates",
        FIRM,
        "A-01",
        "Asof",
    ):
        assert squeezed(expected) in text, expected
    assert "1February2026,17:00(UTC+8)" in text  # 09:00 UTC, in Asia/Shanghai
    rows = font_rows(write(tmp_path, "fonts.pdf", response.data))
    assert rows
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, unicode
    a4 = client.get(f"{BASE}/programme.pdf?size=A4", headers=organiser)
    assert a4.status_code == 200
    assert page_count(write(tmp_path, "a4.pdf", a4.data)) <= page_count(
        write(tmp_path, "a5.pdf", response.data)
    )


def test_reprint_as_of_an_earlier_time_shows_the_earlier_plan(
    app: Flask, client: FlaskClient, organiser: dict[str, str], clock: FakeClock, tmp_path: Path
) -> None:
    ids = plan_day(app, client, organiser)
    before = clock.now
    clock.advance(minutes=30)
    planning = services_of(app).planning
    planning.define_slot(SLUG, BoothSlot("Z-99", "Zone Z", "1/F", "ai-data", "3x3"), ACTOR)
    planning.move(SLUG, ids["firm_id"], "Z-99", ACTOR)
    renamed = AgendaItem(**{**ids["agenda"].__dict__, "title_en": NEW_TITLE})
    planning.change_item(SLUG, ids["agenda_id"], renamed, ACTOR)

    current = pdf_text(
        tmp_path, "programme-", client.get(f"{BASE}/programme.pdf", headers=organiser)
    )
    earlier = pdf_text(
        tmp_path,
        "programme-",
        client.get(
            f"{BASE}/programme.pdf", query_string={"as_of": before.isoformat()}, headers=organiser
        ),
    )
    assert "Z-99" in current
    assert squeezed(NEW_TITLE) in current
    assert squeezed(OLD_TITLE) not in current
    assert "Z-99" not in earlier
    assert squeezed(OLD_TITLE) in earlier
    assert squeezed(NEW_TITLE) not in earlier
    assert "1February2026,17:30(UTC+8)" in current
    assert "1February2026,17:00(UTC+8)" in earlier
    assert "17:30" not in earlier

    # The stage sheet and agreements are reprinted in the same way.
    signing = f"{BASE}/ceremonies/{ids['signing']}"
    clock.advance(minutes=5)
    planning.change_ceremony_item(
        SLUG, ids["signing"], ids["item_id"], signing_item(title_en="Revised tenancy"), ACTOR
    )
    now = pdf_text(
        tmp_path, "agreements", client.get(f"{signing}/agreements.pdf", headers=organiser)
    )
    then = pdf_text(
        tmp_path,
        "agreements",
        client.get(
            f"{signing}/agreements.pdf",
            query_string={"as_of": before.isoformat()},
            headers=organiser,
        ),
    )
    assert "Revisedtenancy" in now
    assert "Revisedtenancy" not in then
    assert "LingdingLanguageAI" in then


def test_agreements_certificates_and_stage_sheet(
    app: Flask, client: FlaskClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    ids = plan_day(app, client, organiser)
    signing = f"{BASE}/ceremonies/{ids['signing']}"
    text = pdf_text(
        tmp_path, "agreements-", client.get(f"{signing}/agreements.pdf", headers=organiser)
    )
    for expected in ("TA-2026-001", "ChanTaiMan", "梁曉彤", "Premises:deskB-301"):
        assert expected in text, expected
    one = client.get(f"{signing}/items/{ids['item_id']}/agreement.pdf", headers=organiser)
    assert "TA-2026-001" in pdf_text(tmp_path, "agreement-TA-2026-001", one)

    response = client.get(f"{BASE}/ceremonies/{ids['award']}/certificates.pdf", headers=organiser)
    text = pdf_text(tmp_path, "certificates-", response)
    assert page_count(write(tmp_path, "certs.pdf", response.data)) == 2  # one per recipient
    for expected in ("BusinessVisaEndorsement", "何詠欣", "魚晨", "CERT-2026/1", "CERT-2026/2"):
        assert expected in text, expected

    sheet = pdf_text(
        tmp_path,
        "stage-sheet-launch-2026",
        client.get(f"{BASE}/stage-sheet.pdf", headers=organiser),
    )
    for expected in ("Tenantenterprisesigningceremony", "TA-2026-001", "ChanTaiMan", "CERT-2026"):
        assert expected in sheet, expected


def test_bad_documents_are_4xx_or_sensible(
    app: Flask, client: FlaskClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    ids = plan_day(app, client, organiser)
    planning = services_of(app).planning
    signing = f"{BASE}/ceremonies/{ids['signing']}"
    award = f"{BASE}/ceremonies/{ids['award']}"
    # A signing with no signatories: refused, naming the field.
    planning.add_ceremony_item(SLUG, ids["signing"], signing_item("TA-EMPTY", people=()), ACTOR)
    assert_error(
        client.get(f"{signing}/agreements.pdf", headers=organiser),
        422,
        "document_incomplete",
        "people",
    )
    empty_id = planning.ceremony(SLUG, ids["signing"]).items[-1]["id"]
    planning.remove_ceremony_item(SLUG, ids["signing"], empty_id, ACTOR)
    # Text far longer than a page, and names outside the font: a document of many pages.
    long_item = signing_item(
        "TA-LONG",
        people=(signatory("Kim 𓀀 Lee", "金𓀁", "Hieroglyph Labs"),),
        clauses=tuple("Clause text that goes on and on. " * 110 for _ in range(4)),
    )
    long_id, _ = planning.add_ceremony_item(SLUG, ids["signing"], long_item, ACTOR)
    long = client.get(f"{signing}/items/{long_id}/agreement.pdf", headers=organiser)
    assert long.status_code == 200, long.json
    assert page_count(write(tmp_path, "long.pdf", long.data)) >= 3
    # Agreements of an award, certificates of a signing.
    assert_error(
        client.get(f"{award}/agreements.pdf", headers=organiser), 409, "wrong_ceremony_kind"
    )
    assert_error(
        client.get(f"{signing}/certificates.pdf", headers=organiser), 409, "wrong_ceremony_kind"
    )
    # A withdrawn ceremony: no documents, and gone from the programme.
    planning.withdraw_ceremony(SLUG, ids["signing"], "postponed", ACTOR)
    for path in (f"{signing}/agreements.pdf", f"{signing}/items/{ids['item_id']}/agreement.pdf"):
        assert_error(client.get(path, headers=organiser), 409, "ceremony_withdrawn", "ceremony_id")
    text = pdf_text(tmp_path, "programme-", client.get(f"{BASE}/programme.pdf", headers=organiser))
    assert "Tenantenterprisesigningceremony" not in text
    assert "Presentationofendorsementcertificates" in text


def test_unknown_ids_naive_times_and_credentials(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    ids = plan_day(app, client, organiser)
    signing = f"{BASE}/ceremonies/{ids['signing']}"
    for path in (
        "/api/v1/gatherings/no-such-event/programme.pdf",
        "/api/v1/gatherings/no-such-event/stage-sheet.pdf",
        f"{BASE}/ceremonies/{uuid4()}/agreements.pdf",
        f"{BASE}/ceremonies/{uuid4()}/certificates.pdf",
        f"{signing}/items/{uuid4().hex}/agreement.pdf",
        f"{BASE}/ceremonies/not-a-uuid/agreements.pdf",
    ):
        assert client.get(path, headers=organiser).status_code == 404, path
    # Before the gathering existed; before the ceremony was planned.
    early = "2020-01-01T00:00:00+08:00"
    assert_error(
        client.get(f"{BASE}/programme.pdf", query_string={"as_of": early}, headers=organiser),
        404,
        "not_found",
        "as_of",
    )
    assert_error(
        client.get(f"{signing}/agreements.pdf", query_string={"as_of": early}, headers=organiser),
        404,
        "not_found",
    )
    for path in (f"{BASE}/programme.pdf", f"{BASE}/stage-sheet.pdf", f"{signing}/agreements.pdf"):
        naive = client.get(f"{path}?as_of=2026-02-01T10:00:00", headers=organiser)
        assert_error(naive, 422, "validation_failed", "as_of")
    assert_error(
        client.get(f"{BASE}/programme.pdf?size=A3", headers=organiser),
        422,
        "validation_failed",
        "size",
    )
    device = enrol_device(client, organiser)
    for path in (f"{BASE}/programme.pdf", f"{signing}/agreements.pdf"):
        assert_error(client.get(path), 401, "unauthorized")
        assert_error(client.get(path, headers=device), 403, "forbidden")


def test_openapi_documents_the_downloads(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/gatherings/{slug}/programme.pdf",
        "/api/v1/gatherings/{slug}/stage-sheet.pdf",
        "/api/v1/gatherings/{slug}/ceremonies/{ceremony_id}/agreements.pdf",
        "/api/v1/gatherings/{slug}/ceremonies/{ceremony_id}/items/{item_id}/agreement.pdf",
        "/api/v1/gatherings/{slug}/ceremonies/{ceremony_id}/certificates.pdf",
    ):
        get = paths[path]["get"]
        assert "application/pdf" in get["responses"]["200"]["content"], path
        assert {"401", "403", "404", "422"} <= set(get["responses"]), path
        assert get["security"] == [{"organiserToken": []}]
        query = {p["name"]: p for p in get["parameters"] if p["in"] == "query"}
        assert "zh_Hans_CN" in query["lang"]["schema"]["enum"], path
        assert "Simplified" in query["lang"]["description"], path
        assert "as_of" in {p["name"] for p in get["parameters"] if p["in"] == "query"}


@pytest.mark.parametrize("command", ["programme", "stage-sheet", "agreements", "certificates"])
def test_cli_writes_the_documents(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    runner: FlaskCliRunner,
    clock: FakeClock,
    tmp_path: Path,
    command: str,
) -> None:
    ids = plan_day(app, client, organiser)
    before = clock.now.isoformat()
    clock.advance(minutes=10)
    services_of(app).planning.add_ceremony_item(
        SLUG, ids["signing"], signing_item("TA-2026-002"), ACTOR
    )
    target = tmp_path / f"{command}.pdf"
    argument = {"agreements": [str(ids["signing"])], "certificates": [str(ids["award"])]}
    args = [
        "documents",
        command,
        *argument.get(command, []),
        "--gathering",
        SLUG,
        "-o",
        str(target),
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    text = squeezed("".join(page_texts(target)))
    if command == "agreements":
        assert "2 agreement(s) written" in result.output
        assert "TA-2026-002" in text
        earlier = runner.invoke(args=[*args, "--as-of", before])
        assert earlier.exit_code == 0, earlier.output
        assert "1 agreement(s) written" in earlier.output
        assert "TA-2026-002" not in squeezed("".join(page_texts(target)))
    elif command == "certificates":
        assert "2 certificate(s) written" in result.output
        assert "何詠欣" in text
    else:
        assert "河套香港青年科創谷啟動儀式" in text
    naive = runner.invoke(args=[*args, "--as-of", "2026-02-01T10:00"])
    assert naive.exit_code != 0
    assert "--as-of" in naive.output


def test_cli_refusals_are_clean_and_leave_no_file(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    runner: FlaskCliRunner,
    tmp_path: Path,
) -> None:
    ids = plan_day(app, client, organiser)
    services_of(app).planning.withdraw_ceremony(SLUG, ids["signing"], "", ACTOR)
    target = tmp_path / "out.pdf"
    for args in (
        ["agreements", str(ids["signing"]), "--gathering", SLUG],
        ["certificates", str(UUID(int=1)), "--gathering", SLUG],
        ["programme", "--gathering", "no-such-event"],
    ):
        result = runner.invoke(args=["documents", *args, "-o", str(target)])
        assert result.exit_code == 1, (args, result.output)
        assert "Error:" in result.output
        assert "Traceback" not in result.output
        assert not target.exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary
