"""The console's invitations page: invite one, import a CSV file (all or nothing), counts."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import SLUG
from tests.console_helpers import csrf_from, post_form

PAGE = f"/organiser/gatherings/{SLUG}/invitations"
GOOD = (
    "full_name,name_zh,organisation,title,email,category,language\n"
    "Official One,官員一,Gov,Secretary,o1@example.org,guest,zh-Hans-CN\n"
    "Official Two,官員二,Gov,Director,o2@example.org,vip,en\n"
)


def upload(console: FlaskClient, text: str, lang: str = "en", **fields: str) -> Any:
    """Post a CSV file to the import form."""
    html = console.get(f"{PAGE}?lang={lang}").get_data(as_text=True)
    data: dict[str, Any] = {
        "csrf_token": csrf_from(html),
        "file": (io.BytesIO(text.encode()), "guests.csv"),
        "batch": "officials",
        "deadline": "2026-02-20T18:00",
        **fields,
    }
    return console.post(f"{PAGE}/import", data=data, content_type="multipart/form-data")


def test_invite_one_then_withdraw(console: FlaskClient, gathering: dict[str, Any]) -> None:
    answer = post_form(
        console,
        PAGE,
        PAGE,
        full_name="Official One",
        email="o1@example.org",
        category="vip",
        language="zh_Hans_CN",
        batch="officials",
        deadline="2026-02-20T18:00",
        companions_allowed="1",
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)
    html = console.get(PAGE).get_data(as_text=True)
    assert 'data-state="invited"' in html
    assert "Official One" in html
    invitation_id = html.split('data-invitation="')[1].split('"')[0]
    withdrawn = post_form(console, PAGE, f"{PAGE}/{invitation_id}/revoke")
    assert withdrawn.status_code == 303
    html = console.get(PAGE).get_data(as_text=True)
    assert 'data-state="revoked"' in html
    assert '<td class="num" data-state="revoked">1</td>' in html


def test_invite_form_with_problems_comes_back(
    console: FlaskClient, gathering: dict[str, Any]
) -> None:
    answer = post_form(console, PAGE, PAGE, full_name="", email="nope", category="guest", batch="b")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="invite-email-error"' in html
    assert 'id="invite-full_name-error"' in html
    assert 'id="no-invitations"' in html


def test_a_file_with_bad_lines_writes_nothing_and_lists_them_in_chinese(
    console: FlaskClient, gathering: dict[str, Any]
) -> None:
    bad = GOOD + "X,,Gov,Clerk,nope,guest,en\nY,,Gov,Clerk,y@example.org,dogs,en\n"
    answer = upload(console, bad, lang="zh_Hant_HK")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert '<li data-line="4">第 4 行 (email)' in html
    assert '<li data-line="5">第 5 行 (category)' in html
    assert "未有匯入任何資料" in html
    assert 'id="no-invitations"' in html
    made = upload(console, GOOD)
    assert made.status_code == 303
    html = console.get(PAGE).get_data(as_text=True)
    assert html.count("data-invitation=") == 2


def test_the_event_form_sets_and_keeps_a_category_by_invitation_only(
    app: Any, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    from tests.conftest import services_of
    from tests.pages.test_console_corrections import submit

    edit = f"/organiser/gatherings/{SLUG}/edit"
    assert submit(console, edit, edit, invitation_vip="1").status_code == 303
    assert services_of(app).box_office.gathering(SLUG).categories["vip"]["invitation_only"]
    assert submit(console, edit, edit, title_en="Renamed").status_code == 303
    found = services_of(app).box_office.gathering(SLUG)
    assert found.categories["vip"]["invitation_only"] is True  # kept by the next edit
    assert found.categories["guest"]["invitation_only"] is False
    history = console.get(edit).get_data(as_text=True)
    assert "VIP 3 (by invitation) (approval)" in history
