"""The console's printing page: one click for every PDF, the API's bytes, plain refusals."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from uuid import uuid4

from flask import Flask
from flask.testing import FlaskClient

from tests.api.test_documents_api import FIRM, OLD_TITLE, plan_day
from tests.checkin_helpers import confirmed_guest
from tests.conftest import SLUG, services_of
from tests.pdf_helpers import page_texts, squeezed, write
from tests.planning_helpers import create_gathering, plan_ceremony

PAGE = f"/organiser/gatherings/{SLUG}/printing"
API = f"/api/v1/gatherings/{SLUG}"


def links(text: str) -> dict[str, str]:
    """Return the page's PDF links by their text (unescaped), e.g. {'/…/badges.pdf?order=name'}."""
    return {
        html.unescape(href): html.unescape(href)
        for href in re.findall(r'href="([^"]+\.pdf[^"]*)"', text)
    }


def pdf_text(tmp_path: Path, response: Any, filename: str) -> str:
    """Check a console PDF download and return its text, without white space."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    data = response.get_data()
    assert data.startswith(b"%PDF")
    return squeezed("".join(page_texts(write(tmp_path, f"{uuid4().hex}.pdf", data))))


def approve(app: Flask, registration_id: str) -> None:
    from uuid import UUID

    services_of(app).box_office.approve(UUID(registration_id), "organiser:test")


def guests(app: Flask, client: FlaskClient) -> None:
    """Two confirmed guests, one confirmed VIP, one pending VIP (no badge)."""
    confirmed_guest(client, 1, full_name="Alice Wong", organisation="Zeta Labs")
    confirmed_guest(client, 2, full_name="Bob Lee", organisation="Alpha Works")
    vip = confirmed_guest(client, 3, category="vip", full_name="Sun Dong", name_zh="孫東")
    approve(app, vip["id"])
    confirmed_guest(client, 4, category="vip", full_name="Pending Person")


def test_every_link_downloads_the_pdf_the_api_makes(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    organiser: dict[str, str],
    tmp_path: Path,
) -> None:
    ids = plan_day(app, client, organiser)
    guests(app, client)
    page = console.get(PAGE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<b id="confirmed-total">3</b> confirmed.' in text
    assert "Programme booklet, A5" in text
    chinese = console.get(PAGE, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert '已確認 <b id="confirmed-total">3</b> 人。' in chinese
    assert "場刊（A5）" in chinese
    assert "Programme booklet" not in chinese
    found = links(text)
    prefix = f"/organiser/gatherings/{SLUG}/printing"
    expected = {
        f"{prefix}/badges.pdf?order=name",
        f"{prefix}/badges.pdf?order=category",
        f"{prefix}/badges.pdf?order=organisation",
        f"{prefix}/badges.pdf?category=vip&order=name",
        f"{prefix}/programme.pdf?size=A5",
        f"{prefix}/programme.pdf?size=A4",
        f"{prefix}/stage-sheet.pdf",
        f"{prefix}/ceremonies/{ids['signing']}/agreements.pdf",
        f"{prefix}/ceremonies/{ids['award']}/certificates.pdf",
    }
    assert expected <= set(found), sorted(set(expected) - set(found))
    # one document link per ceremony: agreements for the signing, certificates for the award
    assert f"{prefix}/ceremonies/{ids['signing']}/certificates.pdf" not in found
    assert f"{prefix}/ceremonies/{ids['award']}/agreements.pdf" not in found

    by_name = pdf_text(
        tmp_path, console.get(f"{prefix}/badges.pdf?order=name"), "badges-launch-2026.pdf"
    )
    assert by_name.index("AliceWong") < by_name.index("BobLee") < by_name.index("SunDong")
    assert "PendingPerson" not in by_name
    by_org = pdf_text(
        tmp_path, console.get(f"{prefix}/badges.pdf?order=organisation"), "badges-launch-2026.pdf"
    )
    assert by_org.index("BobLee") < by_org.index("AliceWong")  # Alpha Works before Zeta Labs

    programme = pdf_text(
        tmp_path, console.get(f"{prefix}/programme.pdf?size=A5"), "programme-launch-2026.pdf"
    )
    for phrase in (
        "河套香港青年科創谷啟動儀式",
        OLD_TITLE,
        FIRM,
        "Tenant enterprise signing ceremony",
    ):
        assert squeezed(phrase) in programme, phrase
    assert "1February2026,17:00(UTC+8)" in programme

    stage = pdf_text(
        tmp_path, console.get(f"{prefix}/stage-sheet.pdf"), "stage-sheet-launch-2026.pdf"
    )
    assert "Tenantenterprisesigningceremony" in stage
    assert "TA-2026-001" in stage

    agreements = pdf_text(
        tmp_path,
        console.get(f"{prefix}/ceremonies/{ids['signing']}/agreements.pdf"),
        f"agreements-{ids['signing']}.pdf",
    )
    for phrase in (
        "Tenancy agreement: Lingding Language AI",
        "Chan Tai Man",
        "陳大文",
        "TA-2026-001",
    ):
        assert squeezed(phrase) in agreements, phrase

    certificates = pdf_text(
        tmp_path,
        console.get(f"{prefix}/ceremonies/{ids['award']}/certificates.pdf"),
        f"certificates-{ids['award']}.pdf",
    )
    for phrase in ("Ho Wing-yan", "Yu Chen", "Business Visa Endorsement"):
        assert squeezed(phrase) in certificates, phrase

    # the same documents as the API's, page for page (the bytes differ from one PDF to the
    # next even through the API: font subsets get fresh names)
    for console_path, api_path in (
        (f"{prefix}/programme.pdf?size=A4", f"{API}/programme.pdf?size=A4"),
        (f"{prefix}/stage-sheet.pdf", f"{API}/stage-sheet.pdf"),
        (
            f"{prefix}/ceremonies/{ids['signing']}/agreements.pdf",
            f"{API}/ceremonies/{ids['signing']}/agreements.pdf",
        ),
        (f"{prefix}/badges.pdf?order=category", f"{API}/badges.pdf?order=category"),
    ):
        mine = console.get(console_path)
        theirs = client.get(api_path, headers=organiser)
        assert theirs.status_code == 200
        assert page_texts(write(tmp_path, "mine.pdf", mine.get_data())) == page_texts(
            write(tmp_path, "theirs.pdf", theirs.get_data())
        ), console_path


def test_a_filtered_badge_sheet_holds_only_that_category(
    app: Flask, console: FlaskClient, client: FlaskClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    create_gathering(client, organiser)
    guests(app, client)
    vip_only = pdf_text(
        tmp_path,
        console.get(f"{PAGE}/badges.pdf", query_string={"category": "vip", "order": "name"}),
        "badges-launch-2026-vip.pdf",
    )
    assert "SunDong" in vip_only
    for other in ("AliceWong", "BobLee", "PendingPerson"):
        assert other not in vip_only
    both = pdf_text(
        tmp_path,
        console.get(f"{PAGE}/badges.pdf", query_string={"category": ["vip", "guest"]}),
        "badges-launch-2026-guest-vip.pdf",
    )
    assert all(name in both for name in ("SunDong", "AliceWong", "BobLee"))
    guests_only = pdf_text(
        tmp_path,
        console.get(f"{PAGE}/badges.pdf", query_string={"category": "guest"}),
        "badges-launch-2026-guest.pdf",
    )
    assert "SunDong" not in guests_only
    assert "AliceWong" in guests_only


def refused(response: Any, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers
    text = html.unescape(response.get_data(as_text=True))
    assert 'id="not-printed"' in text
    return text


def test_documents_that_cannot_be_made_answer_a_plain_message(
    app: Flask, console: FlaskClient, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    assert "No confirmed guests" in refused(console.get(f"{PAGE}/badges.pdf"), 422)
    confirmed_guest(client, 1, full_name="Alice Wong")
    assert "No confirmed guests in VIP yet" in refused(
        console.get(f"{PAGE}/badges.pdf?category=vip"), 422
    )
    chinese = refused(
        console.get(f"{PAGE}/badges.pdf?category=vip", headers={"Accept-Language": "zh-HK"}), 422
    )
    assert "尚未有貴賓類別的已確認賓客，沒有襟章可列印。" in chinese
    assert "未能列印" in chinese
    assert "No confirmed" not in chinese
    assert "no guest category" in refused(console.get(f"{PAGE}/badges.pdf?category=nobody"), 422)
    assert "by name, category or organisation" in refused(
        console.get(f"{PAGE}/badges.pdf?order=height"), 422
    )
    assert "A5 or A4" in refused(console.get(f"{PAGE}/programme.pdf?size=A3"), 422)

    empty = plan_ceremony(client, organiser)
    ceremony_id = empty["id"]
    page = console.get(PAGE).get_data(as_text=True)
    assert f'data-ceremony="{ceremony_id}"' in page
    assert f"/ceremonies/{ceremony_id}/agreements.pdf" not in page  # no items: no link
    assert "no items yet" in refused(
        console.get(f"{PAGE}/ceremonies/{ceremony_id}/agreements.pdf"), 422
    )
    wrong_kind = refused(console.get(f"{PAGE}/ceremonies/{ceremony_id}/certificates.pdf"), 409)
    assert "This document cannot be printed: " in wrong_kind
    assert "has agreements, not certificates" in wrong_kind
    assert "此文件未能列印" not in wrong_kind
    simplified = refused(
        console.get(f"{PAGE}/ceremonies/{ceremony_id}/agreements.pdf?lang=zh-CN"), 422
    )
    assert "此仪式尚无项目，没有文件可打印。" in simplified
    listing = console.get(PAGE).get_data(as_text=True)  # the choice of language is kept
    assert "下载 PDF" in listing
    assert "Download PDF" not in listing
    console.get(PAGE + "?lang=en")

    assert console.get(f"{PAGE}/ceremonies/{uuid4()}/agreements.pdf").status_code == 404
    assert console.get(f"{PAGE}/ceremonies/not-a-uuid/agreements.pdf").status_code == 404
    assert console.get("/organiser/gatherings/no-such-event/printing").status_code == 404
    assert console.get("/organiser/gatherings/no-such-event/printing/badges.pdf").status_code == 404


def test_printing_needs_a_signed_in_organiser(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    for path in (PAGE, f"{PAGE}/badges.pdf", f"{PAGE}/programme.pdf"):
        response = client.get(path)
        assert response.status_code == 303
        assert "/organiser/sign-in" in response.headers["Location"]


def test_documents_print_the_chinese_of_the_console_s_language(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    organiser: dict[str, str],
    tmp_path: Path,
) -> None:
    plan_day(app, client, organiser)
    name = "programme-launch-2026.pdf"
    english = pdf_text(tmp_path, console.get(f"{PAGE}/programme.pdf"), name)
    assert "節目流程" in english  # beside English: Traditional, as written in Hong Kong
    simplified = pdf_text(tmp_path, console.get(f"{PAGE}/programme.pdf?lang=zh_Hans_CN"), name)
    assert "节目流程" in simplified
    assert "節目流程" not in simplified
    # the choice is the console's: remembered for the next download, like its pages' words
    stage = pdf_text(
        tmp_path, console.get(f"{PAGE}/stage-sheet.pdf"), "stage-sheet-launch-2026.pdf"
    )
    assert "舞台监督表" in stage
    page = console.get(PAGE).get_data(as_text=True)
    assert "以英文及简体中文打印" in page
    english_page = console.get(f"{PAGE}?lang=en").get_data(as_text=True)
    assert "in English and Traditional Chinese (Hong Kong)" in english_page
