"""Ceremony items: an award's issuing authorities (signatory, seal) and an item's presenters."""

from __future__ import annotations

from typing import Any

import pytest

from domain.ceremony import MAX_AUTHORITIES, Authority, Ceremony, Person, Signatory
from domain.errors import InvalidValue
from tests.unit.test_domain_ceremony import AT, ORG, item, plan

BUREAU = Authority(
    "Shenzhen Municipal Public Security Bureau Exit-Entry Administration",
    "深圳市公安局出入境管理局",
    Signatory("Lau Chi Keung (sample)", "劉志強（示例）", "Director (sample)", "局長（示例）"),
    seal=True,
)
HETAO = Authority("Hetao Development Authority", "河套發展署")


def award(**changes: Any) -> Ceremony:
    ceremony = plan("award")
    ceremony.add_item("i1", item(authorities=(BUREAU, HETAO), **changes), AT, ORG)
    return ceremony


def test_an_award_names_its_authorities_with_signatory_and_seal() -> None:
    recorded = award().items[0]["authorities"]
    assert recorded == [
        {
            "name_en": BUREAU.name_en,
            "name_zh": "深圳市公安局出入境管理局",
            "signatory": {
                "name_en": "Lau Chi Keung (sample)",
                "name_zh": "劉志強（示例）",
                "title_en": "Director (sample)",
                "title_zh": "局長（示例）",
            },
            "seal": True,
        },
        {
            "name_en": "Hetao Development Authority",
            "name_zh": "河套發展署",
            "signatory": {"name_en": "", "name_zh": "", "title_en": "", "title_zh": ""},
            "seal": False,
        },
    ]


def test_authorities_and_presenters_survive_replay_and_edits() -> None:
    ceremony = award(presenters=(Person("Zhong Hai", "钟海", "Director", "Hetao"),))
    copy = None
    for domain_event in ceremony.collect_events():
        copy = domain_event.mutate(copy)
    assert isinstance(copy, Ceremony)
    assert copy.items == ceremony.items
    assert copy.items[0]["presenters"][0]["name_zh"] == "钟海"
    ceremony.change_item("i1", item(authorities=(HETAO,)), AT, ORG)
    assert [a["name_zh"] for a in ceremony.items[0]["authorities"]] == ["河套發展署"]
    assert ceremony.items[0]["presenters"] == []


def test_an_item_recorded_before_authorities_existed_has_none() -> None:
    ceremony = plan("award")
    old = {**item().checked(), "id": "old"}
    del old["authorities"], old["presenters"]
    ceremony._add_item(item=old, at=AT, actor=ORG)  # what replaying an old ItemAdded does
    assert ceremony.items[0]["authorities"] == []
    assert ceremony.items[0]["presenters"] == []


@pytest.mark.parametrize(
    ("authorities", "words"),
    [
        ((Authority("", " "),), "needs a name"),
        ((Authority("X", signatory=Signatory(title_en="Director")),), "signatory for X"),
        ((Authority("X" * 201),), "at most 200"),
        ((Authority("X", "署" * 101),), "at most 100"),
        ((Authority("X", signatory=Signatory(name_zh="劉" * 61)),), "at most 60"),
        ((Authority("X", seal="yes"),), "true or false"),  # type: ignore[arg-type]
        ((HETAO, Authority("hetao development authority")), "named twice"),
        ((HETAO, Authority("HDA", "河套發展署")), "named twice"),
        (tuple(Authority(f"A{n}") for n in range(MAX_AUTHORITIES + 1)), "at most 6"),
    ],
)
def test_bad_authorities_are_refused_naming_the_field(
    authorities: tuple[Authority, ...], words: str
) -> None:
    ceremony = plan("award")
    with pytest.raises(InvalidValue, match=words) as refused:
        ceremony.add_item("i1", item(authorities=authorities), AT, ORG)
    assert refused.value.field == "authorities"
    assert ceremony.items == []


def test_only_an_award_names_issuing_authorities() -> None:
    for kind in ("signing", "pledge"):
        ceremony = plan(kind)
        with pytest.raises(InvalidValue, match="only the items of an award") as refused:
            ceremony.add_item("i1", item(authorities=(HETAO,)), AT, ORG)
        assert refused.value.field == "authorities"
        ceremony.add_item("i1", item(presenters=(Person("Zhong Hai", "", "", "Hetao"),)), AT, ORG)
        assert ceremony.items[0]["presenters"][0]["name_en"] == "Zhong Hai"


def test_a_nameless_presenter_is_refused_naming_presenters() -> None:
    ceremony = plan("award")
    with pytest.raises(InvalidValue) as refused:
        ceremony.add_item("i1", item(presenters=(Person("", "", "CEO", "HKSTP"),)), AT, ORG)
    assert refused.value.field == "presenters"
