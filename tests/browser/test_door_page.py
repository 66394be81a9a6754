"""The door scanner page in real headless Chromium: USB scanner, camera, offline queue, errors."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from domain.scan import Scan
from events_app.services.qr_images import qr_png
from tests.browser.door_site import (
    AMBER,
    GREEN,
    RED,
    Site,
    door_site,
    enrol,
    local,
    phone_page,
    scans,
    wedge,
)
from tests.browser_support import chromium, screenshot
from tests.checkin_helpers import badge_token, confirmed_guest
from tests.conftest import gathering_payload, services_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def camera_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the fake camera reads its video; each camera test writes it before starting."""
    return tmp_path_factory.mktemp("camera") / "badge.y4m"


@pytest.fixture(scope="module")
def browser(camera_clip: Path) -> Iterator[Any]:
    """One headless Chromium for the module, with a fake camera that plays `camera_clip`."""
    fake_camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_clip.resolve()}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    with chromium(fake_camera) as launched:
        yield launched


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The app on an SQLite file with the test gathering and its two checkpoints, served."""
    with door_site(tmp_path) as served:
        yield served


@pytest.fixture
def phone(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh phone-sized page; fails the test on script errors."""
    with phone_page(browser) as page:
        yield page


def test_usb_scanner_answers_green_then_amber_and_red(phone: Any, site: Site) -> None:
    from playwright.sync_api import expect

    guest = confirmed_guest(
        site.client, 1, full_name="Sun Dong", name_zh="孫東", organisation="HKSAR Government"
    )
    token = badge_token(site.app, guest["id"])
    page = phone
    page.goto(f"{site.url}/door")
    expect(page.locator("#enrol")).to_be_visible()
    expect(page.locator("#enrol")).to_contain_text("Set up this device")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the browser asks for en-GB
    expect(page.locator("#enrol")).not_to_contain_text("設定此裝置")
    screenshot(page, "door-enrol")
    device = site.new_device()
    page.goto(site.setup_url(device))
    expect(page.locator("#choose")).to_be_visible()
    assert page.url == f"{site.url}/door"  # the one-time code left the address bar
    expect(page.locator("#checkpoint-list")).to_contain_text("VIP lounge")
    expect(page.locator("#checkpoint-list")).to_contain_text("貴賓室")
    screenshot(page, "door-choose")
    page.click("button.choice[data-code='main-entrance']")
    expect(page.locator("#checkpoint-name")).to_contain_text("Main entrance, Block B")
    expect(page.locator("#scan-input")).to_be_focused()
    expect(page.locator("#notice")).to_contain_text("door 1")
    screenshot(page, "door-ready")

    result = page.locator("#result")
    wedge(page, token)
    started = time.monotonic()  # the repeat window starts when the scanner's Enter lands
    wedge(page, token)  # the scanner fires twice at once: one request, the answer shown again
    expect(page.locator("#result-flags")).to_contain_text("Same badge again")
    expect(result).to_be_visible()
    expect(result).to_have_attribute("data-status", "ok")
    expect(result).to_have_css("background-color", GREEN)
    # The headline in the device's language, then smaller in Traditional Chinese for the guest.
    expect(page.locator("#result-title .main")).to_have_text("Let in")
    expect(page.locator("#result-title .second")).to_have_text("請進")
    expect(page.locator("#result-title .second")).to_have_attribute("lang", "zh-Hant-HK")
    expect(page.locator("#result-detail")).to_have_text("Welcome.")
    expect(page.locator("#guest-name-en")).to_have_text("Sun Dong")
    expect(page.locator("#guest-name-zh")).to_have_text("孫東")
    expect(page.locator("#guest-org")).to_contain_text("HKSAR Government")
    expect(page.locator("#guest-category")).to_have_text("Guest")
    assert page.evaluate("document.body.dataset.sound") == "ok"
    assert [s[0] for s in scans(site.app)] == ["ok"]
    screenshot(page, "door-ok")

    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    wedge(page, tampered)
    expect(result).to_have_attribute("data-status", "invalid")
    expect(result).to_have_css("background-color", RED)
    expect(page.locator("#result-title")).to_contain_text("Not a valid badge")
    expect(page.locator("#result-title")).to_contain_text("無效證件")
    expect(page.locator("#result-guest")).to_be_hidden()
    assert page.evaluate("document.body.dataset.sound") == "stop"
    screenshot(page, "door-red")

    # Past the repeat window, the same badge is a second entry: amber, with when and where.
    page.wait_for_timeout(max(0, 3300 - (time.monotonic() - started) * 1000))
    wedge(page, token)
    expect(result).to_have_attribute("data-status", "already_checked_in")
    expect(result).to_have_css("background-color", AMBER)
    expect(page.locator("#result-title")).to_contain_text("Already checked in")
    expect(page.locator("#result-title")).to_contain_text("已簽到")
    # 09:00 UTC is 17:00 at the venue (Asia/Shanghai), scanned at the main entrance by door 1.
    expect(page.locator("#result-first")).to_contain_text("17:00")
    expect(page.locator("#result-first")).to_contain_text("Main entrance, Block B")
    expect(page.locator("#result-first")).to_contain_text("door 1")
    expect(page.locator("#guest-name-zh")).to_have_text("孫東")
    assert page.evaluate("document.body.dataset.sound") == "warn"
    screenshot(page, "door-amber")

    page.click("#result-next")
    expect(result).to_be_hidden()
    expect(page.locator("#scan-input")).to_be_focused()
    page.click("#direction")
    expect(page.locator("#direction")).to_have_attribute("data-direction", "out")
    wedge(page, token)
    expect(result).to_have_attribute("data-status", "ok")
    expect(page.locator("#result-title")).to_contain_text("Exit recorded")
    assert [s[0] for s in scans(site.app)] == ["ok", "invalid", "already_checked_in", "ok"]
    assert [s[2] for s in scans(site.app)] == ["in", "in", "in", "out"]

    # The checkpoint and the direction are remembered across a reload.
    page.reload()
    expect(page.locator("#scanner")).to_be_visible()
    expect(page.locator("#checkpoint-name")).to_contain_text("Main entrance, Block B")
    expect(page.locator("#direction")).to_have_attribute("data-direction", "out")
    expect(page.locator("#recent li")).to_have_count(4)


def write_y4m(image: Image.Image, path: Path, width: int = 640, height: int = 480) -> None:
    """Write `image` centred on a white frame as a two-frame 4:2:0 y4m clip (no numpy)."""
    frame = Image.new("RGB", (width, height), "white")
    image = image.convert("RGB")
    image.thumbnail((width - 40, height - 40))
    frame.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()  # full-range YCbCr, as C420jpeg means
    half = (width // 2, height // 2)
    planes = (
        y.tobytes() + cb.resize(half, Image.BOX).tobytes() + cr.resize(half, Image.BOX).tobytes()
    )
    partial = path.with_suffix(".part")
    with partial.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(2):
            out.write(b"FRAME\n" + planes)
    partial.replace(path)


def test_camera_reads_the_guests_real_badge(phone: Any, site: Site, camera_clip: Path) -> None:
    from playwright.sync_api import expect

    guest = confirmed_guest(site.client, 2, full_name="Cha Yichao", name_zh="查毅超")
    badge = site.client.get(
        f"/api/v1/registrations/{guest['id']}/badge.png", headers=site.organiser
    )
    assert badge.status_code == 200
    write_y4m(Image.open(io.BytesIO(badge.data)), camera_clip)
    page = phone
    enrol(page, site)
    page.click("#camera-toggle")
    result = page.locator("#result")
    expect(result).to_have_attribute("data-status", "ok", timeout=15_000)
    expect(page.locator("#guest-name-en")).to_have_text("Cha Yichao")
    expect(page.locator("#guest-name-zh")).to_have_text("查毅超")
    native = page.evaluate("'BarcodeDetector' in window")  # not in Linux Chromium: jsQR reads
    assert page.evaluate("document.body.dataset.decoder") == (
        "BarcodeDetector" if native else "jsQR"
    )
    # The camera keeps seeing the badge: it is read once, not once per frame.
    page.wait_for_timeout(1000)
    assert [s[0] for s in scans(site.app)] == ["ok"]
    page.click("#result-next")
    expect(page.locator("#camera-box")).to_be_visible()
    screenshot(page, "door-camera")
    page.click("#camera-toggle")
    expect(page.locator("#camera-box")).to_be_hidden()


def test_camera_enrols_the_device_from_the_setup_qr_code(
    phone: Any, site: Site, camera_clip: Path
) -> None:
    from playwright.sync_api import expect

    device = site.new_device("phone at gate B")
    assert device["setup_url"].endswith("/door?setup=" + device["setup_code"].replace("-", ""))
    write_y4m(Image.open(io.BytesIO(qr_png(device["setup_url"]))), camera_clip)
    page = phone
    page.goto(f"{site.url}/door")
    page.click("#enrol-camera")
    expect(page.locator("#choose")).to_be_visible(timeout=15_000)
    expect(page.locator("#event-title")).to_contain_text("phone at gate B")
    assert local(page, "door.device")["id"] == device["id"]
    assert page.evaluate("document.body.dataset.camera") == "off"  # stopped once read


def test_scans_made_offline_are_queued_and_arrive_exactly_once(phone: Any, site: Site) -> None:
    from playwright.sync_api import expect

    first = badge_token(site.app, confirmed_guest(site.client, 3, full_name="Lee Ka Ming")["id"])
    second = badge_token(site.app, confirmed_guest(site.client, 4, full_name="Wong Siu Ling")["id"])
    page = phone
    enrol(page, site)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)") is True
    device_id = uuid.UUID(local(page, "door.device")["id"])
    page.context.set_offline(True)

    result = page.locator("#result")
    wedge(page, first)
    started = time.monotonic()
    wedge(page, first)  # a burst: kept once, the answer shown again
    expect(page.locator("#result-flags")).to_contain_text("Same badge again")
    expect(result).to_have_attribute("data-status", "ok")
    expect(result).to_have_attribute("data-offline", "true")
    expect(result).to_have_css("background-color", GREEN)
    expect(page.locator("#result-title")).to_contain_text("Let in (offline)")
    expect(page.locator("#guest-name-en")).to_have_text("Lee Ka Ming")
    expect(page.locator("#result-reason")).to_contain_text("sent when the network returns")
    expect(page.locator("#net")).to_have_attribute("data-online", "false")
    screenshot(page, "door-offline-ok")
    wedge(page, second)
    expect(page.locator("#queue-count")).to_have_text("2")
    wedge(page, "NOT-A-BADGE")
    expect(result).to_have_attribute("data-status", "invalid")
    page.wait_for_timeout(max(0, 3300 - (time.monotonic() - started) * 1000))
    wedge(page, first)  # again, later: this device let the badge in already
    expect(result).to_have_attribute("data-status", "already_checked_in")
    expect(result).to_have_css("background-color", AMBER)
    expect(page.locator("#result-first")).to_contain_text("17:00")
    expect(page.locator("#queue-count")).to_have_text("4")
    expect(page.locator("#recent")).to_contain_text("waiting to send")
    screenshot(page, "door-offline-seen")
    assert scans(site.app) == []

    queued = local(page, "door.queue")
    assert [item["body"]["local_status"] for item in queued] == ["ok", "ok", "refused", "refused"]
    assert all(item["body"]["offline"] is True for item in queued)
    ids = [item["body"]["client_scan_id"] for item in queued]
    assert len(set(ids)) == 4

    # A reload while offline loses nothing: the service worker serves the page, the queue stays.
    before = len(site.paths)
    page.reload()
    expect(page.locator("#scanner")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text("4")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    # The page and its assets came from the service worker: none of them reached the server.
    # (Chromium's offline emulation sometimes lets the page's queue upload, which passes
    # through the worker, out; the server then answers it once, as checked below.)
    assert [p for p in site.paths[before:] if not p.startswith("/api/")] == []

    # The network returns, but the first upload's answer is lost on the way back: the page
    # keeps the scans and sends them again; the server answers each client scan id once.
    lost: list[str] = []
    sent: list[str] = []

    def lose_first_answer(route: Any) -> None:
        sent.append(route.request.url)
        if not lost:
            lost.append(route.request.url)
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/api/v1/scans/batch", lose_first_answer)
    page.context.set_offline(False)
    for _ in range(100):
        if lost:
            break
        page.wait_for_timeout(50)
    assert lost, "the page did not try to send its queue when the network returned"
    expect(page.locator("body")).to_have_attribute("data-sending", "false")
    # The page now waits for the next sign of the network: an "online" event, or its own list
    # sync every 5 s, whichever comes first (both happen in CI), and sends the queue again.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-count")).to_have_text("0")
    assert len(sent) >= 2, "the page dropped its queue when an upload's answer was lost"
    expect(page.locator("#net")).to_have_attribute("data-online", "true")
    expect(page.locator("#sync-report")).to_contain_text("4 saved scan(s) sent")
    expect(page.locator("#recent")).not_to_contain_text("waiting to send")
    expect(page.locator("#recent")).to_contain_text("server: Already checked in")
    screenshot(page, "door-synced")

    recorded = scans(site.app)
    assert [s[0] for s in recorded] == ["ok", "ok", "invalid", "already_checked_in"]
    assert all(s[1] == 1 and s[3] == str(device_id) for s in recorded)
    events = services_of(site.app).box_office
    for client_scan_id, status in zip(
        ids, ["ok", "ok", "invalid", "already_checked_in"], strict=True
    ):
        scan = events.load(Scan, Scan.create_id(device_id, client_scan_id), "scan")
        assert scan.status == status
        assert scan.offline is True
    assert local(page, "door.queue") == []


def test_revoked_device_is_told_plainly_and_sent_back_to_enrolment(
    browser: Any, site: Site
) -> None:
    from playwright.sync_api import expect

    token = badge_token(site.app, confirmed_guest(site.client, 5)["id"])
    with phone_page(browser, locale="zh-HK") as page:  # a phone set to Hong Kong Chinese
        device = enrol(page, site)
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
        revoked = site.client.post(f"/api/v1/devices/{device['id']}/revoke", headers=site.organiser)
        assert revoked.status_code == 200
        wedge(page, token)
        expect(page.locator("#enrol")).to_be_visible()
        expect(page.locator("#enrol")).to_contain_text("設定此裝置")
        expect(page.locator("#enrol-message")).to_have_text(
            "主辦方已停用此裝置，請向主辦方索取新的設定碼。"
        )
        expect(page.locator("#result")).to_be_hidden()
        assert local(page, "door.device") is None
        assert scans(site.app) == []
        screenshot(page, "door-revoked")
        # A reload stays on enrolment: the token is gone.
        page.reload()
        expect(page.locator("#enrol")).to_be_visible()


def test_expired_used_and_unknown_setup_codes_are_shown_in_plain_words(
    phone: Any, site: Site
) -> None:
    from playwright.sync_api import expect

    page = phone
    message = page.locator("#enrol-message")
    late = site.new_device("late phone", valid_minutes=5)
    site.clock.advance(minutes=6)
    page.goto(site.setup_url(late))
    expect(message).to_have_text("This set-up code has expired. Ask an organiser for a new one.")
    expect(page.locator("#enrol")).to_be_visible()
    screenshot(page, "door-expired")

    used = site.new_device("used phone")
    page.goto(site.setup_url(used))
    expect(page.locator("#choose")).to_be_visible()
    page.evaluate("localStorage.clear()")
    page.goto(f"{site.url}/door")
    page.fill("#setup-code", used["setup_code"].lower())  # typed by hand
    page.click("#enrol-submit")
    expect(message).to_contain_text("This set-up code has been used already")

    page.fill("#setup-code", "AAAAA-AAAAA")
    page.click("#enrol-submit")
    expect(message).to_contain_text("No such set-up code")


def test_guest_without_badge_is_found_by_name_and_checked_in(phone: Any, site: Site) -> None:
    from playwright.sync_api import expect

    confirmed_guest(site.client, 6, full_name="Cha Yichao", name_zh="查毅超")
    cancelled = confirmed_guest(site.client, 7, full_name="Chan Tai Man", name_zh="陳大文")
    site.client.post(
        f"/api/v1/registrations/{cancelled['id']}/cancel", json={}, headers=site.organiser
    )
    page = phone
    enrol(page, site)
    page.click("#search-open")
    expect(page.locator("#search")).to_be_visible()
    page.fill("#search-input", "查毅")
    page.click("#search-submit")
    found = page.locator("#search-results li")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("Cha Yichao 查毅超")
    expect(found).to_contain_text("Confirmed")
    expect(found.locator("button.check-in")).to_have_text("Check in")
    screenshot(page, "door-search")
    found.locator("button.check-in").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-status", "ok")
    expect(page.locator("#guest-name-zh")).to_have_text("查毅超")
    expect(page.locator("#result-flags")).to_contain_text("Checked in by name")

    page.click("#result-next")
    page.click("#search-open")
    page.fill("#search-input", "Chan Tai")
    page.click("#search-submit")
    expect(found).to_contain_text("Cancelled")
    found.locator("button.check-in").click()
    expect(result).to_have_attribute("data-status", "cancelled")
    expect(page.locator("#result-title")).to_contain_text("Registration cancelled 報名已取消")
    assert [s[0] for s in scans(site.app)] == ["ok", "cancelled"]

    page.click("#result-next")
    page.click("#search-open")
    page.fill("#search-input", "nobody at all")
    page.click("#search-submit")
    expect(page.locator("#search-message")).to_contain_text("No guest found")


def test_badge_of_another_event_is_red(phone: Any, site: Site) -> None:
    from playwright.sync_api import expect

    other = gathering_payload(slug="another-launch")
    assert site.client.post("/api/v1/gatherings", json=other, headers=site.organiser).status_code
    response = site.client.post(
        "/api/v1/gatherings/another-launch/registrations",
        json={
            "full_name": "Zhong Hai",
            "organisation": "Hetao Development Authority",
            "job_title": "Director",
            "email": "zhong@example.org",
            "consent": True,
        },
    )
    token = badge_token(site.app, response.json["id"])
    page = phone
    enrol(page, site)
    wedge(page, token)
    result = page.locator("#result")
    expect(result).to_have_attribute("data-status", "wrong_event")
    expect(result).to_have_css("background-color", RED)
    expect(page.locator("#result-title")).to_contain_text("Badge of another event 非本活動證件")
    expect(page.locator("#result-guest")).to_be_hidden()
