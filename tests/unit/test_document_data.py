"""The plan as printing data: authorities, presenters, and DRAFT while a ceremony is unapproved."""

from __future__ import annotations

from datetime import timedelta

from domain.ceremony import Authority, Ceremony, CeremonyState, Person, Signatory
from events_app.services.document_data import (
    Plan,
    ceremony_data,
    item_data,
    programme_data,
    stage_sheet_data,
)
from printing import documents as printed
from printing.documents import certificates_for
from tests.document_samples import WORDING
from tests.unit.test_domain_ceremony import AT, DAY, ORG, STARTS, WINDOW, item
from tests.unit.test_domain_gathering import schedule

BUREAU = Authority(
    "Shenzhen Municipal Public Security Bureau Exit-Entry Administration",
    "深圳市公安局出入境管理局",
    Signatory("Lau Chi Keung (sample)", "劉志強（示例）", "Director (sample)", "局長（示例）"),
    seal=True,
)
HETAO = Authority(
    "Hetao Development Authority", "河套發展署", Signatory(name_zh="鍾海", title_zh="署長")
)
HUANGGANG = Authority("", "皇崗邊檢站")
PRESENTER = Person("Zhong Hai", "钟海", "Director (sample)", "Hetao Development Authority")


def ceremony(kind: str, state: CeremonyState, **changes: object) -> Ceremony:
    planned = Ceremony.plan(
        gathering_id=schedule().id,
        kind=kind,
        title_en=f"A {kind}",
        title_zh="儀式",
        starts_at=STARTS + timedelta(hours=1),
        location="Main stage",
        window=WINDOW,
        at=AT,
        actor=ORG,
    )
    planned.add_item("i1", item(**changes), AT, ORG)
    if state is not CeremonyState.PLANNED:
        planned.mark_ready(AT, ORG)
    if state in (CeremonyState.SIGNED, CeremonyState.AWARDED):
        planned.complete(STARTS, AT, ORG, day=DAY)
    return planned


def plan_of(*ceremonies: Ceremony) -> Plan:
    return Plan(schedule(), None, None, list(ceremonies), AT, 3)


def award(state: CeremonyState = CeremonyState.PLANNED) -> Ceremony:
    return ceremony("award", state, authorities=(BUREAU, HETAO, HUANGGANG), presenters=(PRESENTER,))


def test_an_award_item_is_printed_with_its_authorities_and_presenters() -> None:
    data = item_data(plan_of(), award().items[0])
    assert data.authorities == (
        printed.Authority(
            BUREAU.name_en,
            "深圳市公安局出入境管理局",
            printed.Person(
                "Lau Chi Keung (sample)",
                "劉志強（示例）",
                "Director (sample)",
                title_zh="局長（示例）",
            ),
            seal=True,
        ),
        printed.Authority(
            "Hetao Development Authority", "河套發展署", printed.Person("", "鍾海", "署長")
        ),
        printed.Authority("", "皇崗邊檢站", printed.Person("")),
    )
    assert data.authorities[1].signatory.has_name
    assert not data.authorities[2].signatory.has_name  # a bare signature line
    assert data.presenters == (
        printed.Person("Zhong Hai", "钟海", "Director (sample)", "Hetao Development Authority"),
    )


def test_each_certificate_carries_the_item_s_authorities_and_the_draft_mark() -> None:
    data = item_data(plan_of(), award().items[0])
    recipients = (Person("Dr Ho", "何明恩", "Director", "Valley Institute"), *item().people)
    two = item_data(plan_of(), ceremony("award", CeremonyState.PLANNED, people=recipients).items[0])
    for source in (data, two):
        for draft in (True, False):
            made = certificates_for(source, _occasion(), wording=WORDING, draft=draft)
            assert all(c.authorities == source.authorities for c in made)
            assert all(c.draft is draft for c in made)
    assert certificates_for(data, _occasion(), wording=WORDING)[0].draft is False


def _occasion() -> printed.Occasion:
    return printed.Occasion("Launch", "啟動儀式", "Monday 2 March 2026")


def test_an_item_recorded_before_authorities_existed_prints_none() -> None:
    old = {k: v for k, v in item().checked().items() if k not in ("authorities", "presenters")}
    data = item_data(plan_of(), {**old, "id": "old"})
    assert (data.authorities, data.presenters) == ((), ())
    legacy = {**old, "id": "old", "extra": {"presenters": [PRESENTER.checked()], "time": "10:45"}}
    assert item_data(plan_of(), legacy).presenters[0].name_zh == "钟海"
    assert item_data(plan_of(), legacy).time == "10:45"


def test_a_ceremony_is_a_draft_until_ready() -> None:
    drafts = {
        state: ceremony_data(plan_of(), award(state)).draft
        for state in (CeremonyState.PLANNED, CeremonyState.READY, CeremonyState.AWARDED)
    }
    assert drafts == {
        CeremonyState.PLANNED: True,
        CeremonyState.READY: False,
        CeremonyState.AWARDED: False,
    }
    edited = award(CeremonyState.READY)
    edited.change_item("i1", item(), AT, ORG)  # an edit sends it back to planned
    assert ceremony_data(plan_of(), edited).draft is True


def test_the_programme_and_stage_sheet_are_drafts_while_a_ceremony_is() -> None:
    ready = ceremony("signing", CeremonyState.READY)
    planned = ceremony("pledge", CeremonyState.PLANNED)
    withdrawn = ceremony("signing", CeremonyState.PLANNED)
    withdrawn.withdraw("postponed", AT, ORG)
    for plan, draft in (
        (plan_of(ready), False),
        (plan_of(ready, planned), True),
        (plan_of(ready, withdrawn), False),  # not held, not printed
        (plan_of(), False),
    ):
        assert programme_data(plan, WORDING).draft is draft
        sheet = stage_sheet_data(plan, WORDING)
        assert sheet.draft is draft
        assert [c.draft for c in sheet.ceremonies] == [
            c.state is CeremonyState.PLANNED for c in plan.ceremonies if c is not withdrawn
        ]
