"""The planning CLI: CSV imports (all rows or none), lists, history, and the demo's plan."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from events_app.demo import DEMO_SLUG
from tests.conftest import SLUG, services_of
from tests.planning_helpers import exhibition_version

SLOTS_CSV = """size,code,sector,zone,floor
3 x 2 m,A01,life-health,Block B exhibition hall,G/F
3 x 2 m,a02,Life Health,Block B exhibition hall,G/F
3 x 3 m,B07,AI Data,"Block B, east wing",G/F
,C01,advanced-manufacturing,,
"""

FIRMS_CSV = "\n".join(
    [
        "name_en,name_zh,sector,description,contact_name,contact_email,staff_quota,slot,confirmed",
        "Force Sense Robotics,力感機器人,advanced-manufacturing,"
        '"Sample: fingertip force sensors, for robots",Yu Ka Chun,hi@example.com,4,C01,yes',
        "Sandbar Vision,沙洲視覺,ai-data,Sample: machine vision,,,,B07,",
        "Lion Rock Imaging,獅子山醫學影像,life-health,Sample: handheld ultrasound,,,2,,no",
        "",
    ]
)


def run(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def refused(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 1, result.output
    assert "nothing written" in result.output
    return result.output


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False) -> str:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return str(path)


@pytest.fixture
def event(runner: FlaskCliRunner, app: Flask) -> str:
    """The demo gathering's slug, with its plan emptied out: a gathering to import into."""
    from events_app.demo import DEMO_GATHERING, demo_dates

    events = services_of(app).box_office
    events.schedule_gathering("test", **DEMO_GATHERING, **demo_dates(events.clock()))
    return DEMO_SLUG


def test_slots_and_firms_are_imported_from_csv(
    app: Flask, runner: FlaskCliRunner, event: str, tmp_path: Path
) -> None:
    slots = write(tmp_path, "slots.csv", SLOTS_CSV, bom=True)
    assert "imported 4 slot(s)" in run(runner, "exhibition", "import-slots", slots)
    firms = write(tmp_path, "firms.csv", FIRMS_CSV)
    assert "imported 3 firm(s)" in run(runner, "exhibition", "import-firms", firms)

    exhibition = services_of(app).planning.exhibition(event)
    assert sorted(exhibition.slots) == ["A01", "A02", "B07", "C01"]
    assert exhibition.slots["B07"] == {
        "code": "B07",
        "zone": "Block B, east wing",
        "floor": "G/F",
        "sector": "ai-data",
        "size": "3 x 3 m",
    }
    by_name = {f["name_en"]: f for f in exhibition.firms.values()}
    force = by_name["Force Sense Robotics"]
    assert (force["state"], force["slot"], force["staff_quota"]) == ("confirmed", "C01", 4)
    assert force["description"] == "Sample: fingertip force sensors, for robots"
    assert (by_name["Sandbar Vision"]["state"], by_name["Sandbar Vision"]["staff_quota"]) == (
        "allocated",
        3,
    )
    assert by_name["Lion Rock Imaging"]["state"] == "applied"
    listed = run(runner, "exhibition", "list")
    assert "C01" in listed
    assert "Force Sense Robotics 力感機器人" in listed
    assert "staff 0/4" in listed
    assert "4 slot(s), 3 firm(s)" in listed
    history = run(runner, "exhibition", "history", "--slot", "b07")
    assert "booth B07 allocated to Sandbar Vision 沙洲視覺" in history
    assert "cli" in history


def test_a_bad_slots_file_writes_nothing_and_names_each_line(
    app: Flask, runner: FlaskCliRunner, event: str, tmp_path: Path
) -> None:
    bad = write(
        tmp_path,
        "slots.csv",
        "code,sector,zone\n"
        "A01,life-health,Hall\n"  # line 2: good
        "A 02,life-health,Hall\n"  # line 3: bad code
        "A03,space-travel,Hall\n"  # line 4: unknown sector
        "a01,ai-data,Hall\n"  # line 5: A01 again
        "A05,ai-data," + "z" * 61 + "\n",  # line 6: zone too long
    )
    output = refused(runner, "exhibition", "import-slots", bad)
    lines = [line for line in output.splitlines() if line.startswith("line ")]
    assert [line.split(":")[0] for line in lines] == ["line 3", "line 4", "line 5", "line 6"]
    assert "line 3: code:" in output
    assert "unknown sector 'space-travel'" in output
    assert "booth A01 is on line 2 too" in output
    assert "line 6: zone:" in output
    assert exhibition_version(app, event) == 0


def test_a_bad_firms_file_writes_nothing_and_names_each_line(
    app: Flask, runner: FlaskCliRunner, event: str, tmp_path: Path
) -> None:
    run(runner, "exhibition", "import-slots", write(tmp_path, "slots.csv", SLOTS_CSV))
    version = exhibition_version(app, event)
    bad = write(
        tmp_path,
        "firms.csv",
        "name_en,name_zh,sector,staff_quota,slot,confirmed\n"
        "Force Sense Robotics,力感機器人,advanced-manufacturing,2,C01,yes\n"  # 2: good
        "Sandbar Vision,沙洲視覺,ai-data,lots,B07,\n"  # 3: quota not a number
        ",,ai-data,2,,\n"  # 4: no name
        "Lion Rock Imaging,獅子山醫學影像,life-health,2,C01,\n"  # 5: C01 taken by line 2
        "Kowloon NeuroTech,九龍神經科技,life-health,2,Z99,\n"  # 6: unknown slot
        "Ma Wan Edge AI,馬灣邊緣智能,ai-data,2,,yes\n"  # 7: confirmed without a slot
        "Force Sense Robotics,力感機器人,advanced-manufacturing,2,,\n"  # 8: applied twice
        "Tai Tam Diagnostics,大潭診斷,life-health,99,,\n",  # 9: quota too high
    )
    output = refused(runner, "exhibition", "import-firms", bad)
    numbers = [line.split(":")[0] for line in output.splitlines() if line.startswith("line ")]
    assert numbers == [f"line {n}" for n in range(3, 10)]
    assert "line 3: staff_quota:" in output
    assert "line 5: slot: booth C01 already holds another firm" in output
    assert "line 6: slot: no booth slot 'Z99'" in output
    assert "line 8: name_en:" in output
    assert exhibition_version(app, event) == version
    assert services_of(app).planning.exhibition(event).firms == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code,sector\nA01,life-health\n\xff\xfe broken\n", "not UTF-8"),
        (b"code,sector,colour\nA01,life-health,red\n", "line 1: colour: unknown column 'colour'"),
        (b"code,zone\nA01,Hall\n", "line 1: sector: column 'sector' is missing"),
        (b"", "the file is empty"),
        (b"code,sector\n", "no rows"),
        (b"code,sector\nA01,life-health,extra\n", "line 2: the line has more cells"),
    ],
    ids=["not-utf8", "unknown-column", "missing-column", "empty", "header-only", "extra-cells"],
)
def test_a_malformed_file_is_refused(
    app: Flask, runner: FlaskCliRunner, event: str, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "slots.csv"
    path.write_bytes(content)
    output = refused(runner, "exhibition", "import-slots", str(path))
    assert message in output
    assert exhibition_version(app, event) == 0


def test_a_dry_run_checks_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, event: str, tmp_path: Path
) -> None:
    slots = write(tmp_path, "slots.csv", SLOTS_CSV)
    assert "checked 4 slot(s)" in run(runner, "exhibition", "import-slots", slots, "--dry-run")
    assert exhibition_version(app, event) == 0


def test_new_sectors_are_added_only_when_asked(
    app: Flask, runner: FlaskCliRunner, event: str, tmp_path: Path
) -> None:
    slots = write(tmp_path, "slots.csv", "code,sector\nD01,Clean Energy\nD02,clean-energy\n")
    assert "unknown sector 'clean-energy'" in refused(runner, "exhibition", "import-slots", slots)
    run(runner, "exhibition", "import-slots", slots, "--add-sectors")
    exhibition = services_of(app).planning.exhibition(event)
    assert exhibition.sectors[-1] == "clean-energy"
    assert {s["sector"] for s in exhibition.slots.values()} == {"clean-energy"}


def test_the_help_documents_the_columns(runner: FlaskCliRunner) -> None:
    slots = run(runner, "exhibition", "import-slots", "--help")
    assert all(column in slots for column in ("code", "sector", "zone", "floor", "size", "BOM"))
    firms = run(runner, "exhibition", "import-firms", "--help")
    for column in ("name_en", "name_zh", "staff_quota", "slot", "confirmed", "contact_email"):
        assert column in firms


def test_an_unknown_gathering_is_a_clean_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=[
            "exhibition",
            "import-slots",
            write(tmp_path, "s.csv", SLOTS_CSV),
            "--gathering",
            SLUG,
        ]
    )
    assert result.exit_code == 1
    assert "not_found: gathering not found" in result.output
    for group in ("exhibition", "ceremonies", "agenda"):
        result = runner.invoke(args=[group, "list", "--gathering", "nowhere"])
        assert result.exit_code == 1, result.output
        assert "not_found" in result.output


# The demo's plan ----------------------------------------------------------------------------------


def store_size(app: Flask) -> int:
    return services_of(app).box_office.recorder.max_notification_id() or 0


def test_the_demo_plans_the_reported_day(app: Flask, runner: FlaskCliRunner) -> None:
    assert "created" in run(runner, "demo", "create")
    planning = services_of(app).planning
    gathering = services_of(app).box_office.gathering(DEMO_SLUG)

    exhibition = planning.exhibition(DEMO_SLUG)
    firms = list(exhibition.firms.values())
    assert len(firms) == 25
    assert Counter(f["sector"] for f in firms) == {
        "life-health": 9,
        "ai-data": 8,
        "advanced-manufacturing": 8,
    }
    assert all(f["slot"] and f["state"] in ("allocated", "confirmed") for f in firms)
    assert all(f["description"].startswith("Sample data") for f in firms)
    assert all(f["name_en"] and f["name_zh"] for f in firms)
    assert {exhibition.slots[f["slot"]]["sector"] for f in firms} == set(exhibition.sectors)
    assert all(exhibition.slots[f["slot"]]["sector"] == f["sector"] for f in firms)

    ceremonies = planning.ceremonies(DEMO_SLUG)
    assert [(c.kind.value, c.state.value, len(c.items)) for c in ceremonies] == [
        ("signing", "ready", 3),
        ("signing", "ready", 6),
        ("pledge", "planned", 1),
        ("award", "ready", 3),
    ]
    assert "Global Connect" in ceremonies[1].title_en
    assert "深耕灣區 連結世界" in ceremonies[2].title_zh
    for item in (i for c in ceremonies for i in c.items):
        assert item["reference"].startswith("SAMPLE")
        assert item["people"]
        assert item["clauses"]
        assert len(item["parties"]) >= 2
        assert all(p["name_en"] and p["name_zh"] for p in item["people"])
    awards = ceremonies[3].items
    assert all("Huanggang Border Inspection Station 皇崗邊檢站" in i["parties"] for i in awards)
    for award in awards:
        assert [a["name_zh"] for a in award["authorities"]] == [
            "深圳市公安局出入境管理局",
            "河套發展署",
            "皇崗邊檢站",
        ]
        assert all(a["seal"] for a in award["authorities"])
        signatories = [a["signatory"] for a in award["authorities"]]
        assert all(s["name_en"] and s["name_zh"] for s in signatories)
        assert all("(sample)" in s["title_en"] and "（示例）" in s["title_zh"] for s in signatories)
    others = (i for c in ceremonies[:3] for i in c.items)
    assert all(i["authorities"] == [] and i["presenters"] == [] for i in others)

    agenda = planning.running_order(DEMO_SLUG).in_order()
    titles = " | ".join(i["title_en"] for i in agenda)
    for part in ("launch ceremony", "Sun Dong", "Huang Wei", "Cha Yichao", "tour", "Tenant"):
        assert part in titles
    assert "reform policies" in titles
    kinds = Counter(i["kind"] for i in agenda)
    assert kinds["speech"] == 3
    assert kinds["tour"] == 1
    linked = {i["ceremony_id"] for i in agenda if i["ceremony_id"]}
    assert linked == {str(c.id) for c in ceremonies}
    for item in agenda:
        assert gathering.starts_at <= item["starts_at"] < item["ends_at"] <= gathering.ends_at
        assert item["starts_at"].utcoffset().total_seconds() == 8 * 3600
        assert item["starts_at"].date() == gathering.starts_at.date()

    listed = run(runner, "agenda", "list")
    assert "09:45-09:55" in listed
    assert "Speech by Sun Dong 孫東局長致辭" in listed
    assert "times in Asia/Shanghai" in listed
    assert "SAMPLE-GC-2026-01" in run(runner, "ceremonies", "list")


def test_the_demo_is_created_once(app: Flask, runner: FlaskCliRunner) -> None:
    run(runner, "demo", "create")
    size = store_size(app)
    assert "already present" in run(runner, "demo", "create")
    assert store_size(app) == size


def test_the_demo_plans_a_gathering_created_before_planning_existed(
    app: Flask, runner: FlaskCliRunner, event: str
) -> None:
    assert services_of(app).planning.exhibition(event).firms == {}
    assert "created" in run(runner, "demo", "create")
    assert len(services_of(app).planning.exhibition(event).firms) == 25
    assert "already present" in run(runner, "demo", "create")
