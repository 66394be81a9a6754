"""The pages' old /events/ URLs answer 308 to the same page under /gatherings/, query kept."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from tests.conftest import SLUG, guest
from tests.pages.test_web_form import csrf_of, form_data

OLD_FORM = f"/events/{SLUG}/register"
NEW_FORM = f"/gatherings/{SLUG}/register"


def test_the_old_form_url_redirects_permanently_with_its_query(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    moved = client.get(OLD_FORM, query_string={"firm": "f-1", "code": "AB 12"})
    assert moved.status_code == 308
    assert moved.headers["Location"] == f"{NEW_FORM}?firm=f-1&code=AB+12"
    assert client.get(OLD_FORM, follow_redirects=True).status_code == 200


def test_a_form_posted_to_the_old_url_is_posted_again_to_the_new_one(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    data = {**form_data(1), "csrf_token": csrf_of(client.get(NEW_FORM))}
    moved = client.post(OLD_FORM, data=data)
    assert (moved.status_code, moved.headers["Location"]) == (308, NEW_FORM)
    registered = client.post(OLD_FORM, data=data, follow_redirects=True)
    assert registered.status_code == 200
    assert registered.request.path.startswith(f"/gatherings/{SLUG}/registrations/")
    assert guest(1)["full_name"] in registered.get_data(as_text=True)


def test_a_confirmation_link_in_a_mail_already_sent_still_opens(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    data = {**form_data(1), "csrf_token": csrf_of(client.get(NEW_FORM))}
    new_link = urlsplit(client.post(NEW_FORM, data=data).headers["Location"]).path
    assert new_link.startswith(f"/gatherings/{SLUG}/registrations/")
    old_link = new_link.replace("/gatherings/", "/events/", 1)
    moved = client.get(old_link, query_string={"notice": "cancelled"})
    assert (moved.status_code, moved.headers["Location"]) == (308, f"{new_link}?notice=cancelled")
    assert client.get(old_link, follow_redirects=True).status_code == 200


def test_old_console_urls_redirect_to_the_gathering_console(
    console: FlaskClient, gathering: dict[str, Any]
) -> None:
    home = console.get(f"/organiser/events/{SLUG}/")
    assert (home.status_code, home.headers["Location"]) == (308, f"/organiser/gatherings/{SLUG}/")
    listed = console.get(f"/organiser/events/{SLUG}/registrations", query_string={"q": "孫"})
    assert listed.status_code == 308
    assert listed.headers["Location"] == f"/organiser/gatherings/{SLUG}/registrations?q=%E5%AD%AB"
    arrivals = console.get(f"/organiser/events/{SLUG}/arrivals", follow_redirects=True)
    assert arrivals.status_code == 200
    assert arrivals.request.path == f"/organiser/gatherings/{SLUG}/arrivals"
