"""The demo gathering's plan: running order, showcase and ceremonies.

The running order follows the reports of the 2 March 2026 launch (../shared/seeds). The 25
firms, their booths, the agreements, signatories and certificate recipients are SAMPLE
DATA invented for the demo: every firm's description, every document's reference and first
clause say so. Officials named in the reports appear only as speakers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.ceremony import Ceremony, CeremonyItem, Person
from domain.exhibition import BoothSlot, FirmProfile
from domain.running_order import AgendaItem
from events_app.services.planning import FirmRow, Planning, Row

SAMPLE = "Sample data 示例資料"
SAMPLE_DOCUMENT = (
    "SAMPLE DOCUMENT for the demo only; not a real agreement. 示例文件，僅供演示，並非真實協議。"
)
HKSTP = "Hong Kong Science and Technology Parks Corporation 香港科技園公司"
HALL = "Block B exhibition hall 乙座展覽廳"
STAGE = "Main stage 主會場"

# Booth slots ----------------------------------------------------------------------------

SECTOR_ROWS = {"A": "life-health", "B": "ai-data", "C": "advanced-manufacturing"}
ZONES = {
    "A": "Zone A · Life & health 生命健康",
    "B": "Zone B · AI & data 人工智能及數據",
    "C": "Zone C · Advanced manufacturing 先進製造",
}


def demo_slots() -> list[BoothSlot]:
    """Return 27 booth slots: A01-A09, B01-B09, C01-C09, one row per sector."""
    return [
        BoothSlot(
            code=f"{row}{n:02d}",
            zone=ZONES[row],
            floor="G/F",
            sector=sector,
            size="3 x 2 m" if n < 9 else "3 x 3 m",
        )
        for row, sector in SECTOR_ROWS.items()
        for n in range(1, 10)
    ]


# Exhibiting firms (sample) ------------------------------------------------------------------


@dataclass(frozen=True)
class SampleFirm:
    """A sample exhibiting firm and its booth."""

    slot: str
    name_en: str
    name_zh: str
    what: str
    contact: str
    quota: int = 3
    confirmed: bool = True


FIRMS = (
    SampleFirm(
        "A01",
        "Harbour Bionics",
        "港灣仿生科技",
        "a surgical robot for minimally invasive procedures",
        "Chan Tai Man 陳大文",
        4,
    ),
    SampleFirm(
        "A02",
        "Pearl River Genomics",
        "珠江基因科技",
        "rapid genetic screening for newborns",
        "Wong Siu Ling 黃小玲",
    ),
    SampleFirm(
        "A03",
        "Lion Rock Imaging",
        "獅子山醫學影像",
        "AI-assisted handheld ultrasound",
        "Lee Ka Ming 李家明",
    ),
    SampleFirm(
        "A04",
        "Bay Cell Therapeutics",
        "灣區細胞治療",
        "closed-system cell-therapy manufacturing",
        "Cheung Mei Yee 張美儀",
        2,
    ),
    SampleFirm(
        "A05",
        "Tai Tam Diagnostics",
        "大潭診斷",
        "point-of-care test kits read by phone",
        "Ho Wing Sze 何詠詩",
        confirmed=False,
    ),
    SampleFirm(
        "A06",
        "Kowloon NeuroTech",
        "九龍神經科技",
        "wearable EEG for sleep clinics",
        "Lam Chun Hei 林俊希",
    ),
    SampleFirm(
        "A07",
        "Lantau Rehab Robotics",
        "大嶼山康復機器人",
        "a lower-limb rehabilitation exoskeleton",
        "Ng Hoi Yan 吳凱欣",
    ),
    SampleFirm(
        "A08",
        "Shek O Biomaterials",
        "石澳生物材料",
        "bioresorbable bone-fixation implants",
        "Tang Wai Lun 鄧偉倫",
        2,
        False,
    ),
    SampleFirm(
        "A09",
        "Riverside Smart Pharmacy",
        "河畔智慧藥房",
        "automated dispensing for clinics",
        "Yip Sze Wan 葉思韻",
    ),
    SampleFirm(
        "B01",
        "Victoria Peak Data",
        "太平山數據",
        "a compliance platform for cross-boundary data flows",
        "Chow Man Kit 周文傑",
        4,
    ),
    SampleFirm(
        "B02",
        "Lingding Language AI",
        "伶仃語言智能",
        "speech models for Cantonese, Mandarin and English",
        "Leung Hiu Tung 梁曉彤",
    ),
    SampleFirm(
        "B03",
        "Sandbar Vision",
        "沙洲視覺",
        "machine-vision inspection for electronics lines",
        "Kwok Chi Hang 郭志恒",
    ),
    SampleFirm(
        "B04",
        "Futian Quant Lab",
        "福田量化實驗室",
        "credit-risk analytics for small firms",
        "Mak Ying Ying 麥盈盈",
        2,
    ),
    SampleFirm(
        "B05",
        "Cloudbridge Compute",
        "雲橋算力",
        "GPU scheduling across Shenzhen and Hong Kong clouds",
        "Fung Tsz Ho 馮子浩",
        confirmed=False,
    ),
    SampleFirm(
        "B06",
        "Harbour Mobility AI",
        "海港智慧出行",
        "traffic forecasting for bus operators",
        "Tsang Ka Yan 曾嘉欣",
    ),
    SampleFirm(
        "B07",
        "Shenzhen Bay Knowledge Graph",
        "深圳灣知識圖譜",
        "a patent and standards knowledge graph",
        "Yuen Kwok Wai 袁國偉",
    ),
    SampleFirm(
        "B08",
        "Ma Wan Edge AI",
        "馬灣邊緣智能",
        "on-device AI for low-power sensors",
        "Lau Pui Shan 劉佩珊",
        2,
    ),
    SampleFirm(
        "C01",
        "Fingertip Force Sensing",
        "指尖力感科技",
        "fingertip-size multi-dimensional force sensors for embodied AI",
        "Yu Ka Chun 余家俊",
        4,
    ),
    SampleFirm(
        "C02",
        "Sai Kung Drone Works",
        "西貢無人機",
        "drones that inspect bridges and façades",
        "Siu Ka Lok 蕭家樂",
    ),
    SampleFirm(
        "C03",
        "Tsing Yi Precision Optics",
        "青衣精密光學",
        "micro-optics for AR glasses",
        "Poon Wing Yan 潘穎欣",
    ),
    SampleFirm(
        "C04",
        "Lok Ma Chau Robotics",
        "落馬洲機器人",
        "autonomous mobile robots for warehouses",
        "Chu Ho Yin 朱浩賢",
        confirmed=False,
    ),
    SampleFirm(
        "C05",
        "Castle Peak New Materials",
        "青山新材料",
        "graphene thermal films for phones",
        "Wan Hoi Ching 溫凱晴",
    ),
    SampleFirm(
        "C06",
        "Deep Bay Power Electronics",
        "后海電力電子",
        "gallium-nitride fast chargers",
        "So Chun Wai 蘇俊偉",
        2,
    ),
    SampleFirm(
        "C07",
        "Sham Chun River Battery",
        "深圳河電池科技",
        "solid-state battery cells",
        "Kong Mei Kuen 江美娟",
    ),
    SampleFirm(
        "C08",
        "Ap Lei Chau Microfluidics",
        "鴨脷洲微流控",
        "microfluidic chips made to order",
        "Hui Tsz Kin 許子健",
        2,
    ),
)


def demo_firms() -> list[FirmRow]:
    """Return the 25 sample firms, each allocated its booth (most of them confirmed)."""
    sector_of = {row: sector for row, sector in SECTOR_ROWS.items()}
    return [
        FirmRow(
            FirmProfile(
                name_en=f.name_en,
                name_zh=f.name_zh,
                sector=sector_of[f.slot[0]],
                description=f"{SAMPLE}: a fictitious park firm showing {f.what}.",
                contact_name=f.contact,
                contact_email=f"{f.name_en.lower().replace(' ', '.')}@example.com",
                staff_quota=f.quota,
            ),
            slot=f.slot,
            confirmed=f.confirmed,
        )
        for f in FIRMS
    ]


# Ceremonies (sample documents) ----------------------------------------------------------------


def person(name_en: str, name_zh: str, title: str, organisation: str) -> Person:
    """Return a (sample) signatory or recipient."""
    return Person(name_en=name_en, name_zh=name_zh, title=title, organisation=organisation)


HKSTP_SIGNATORY = person(
    "Chan Tai Man", "陳大文", "Head of Shenzhen Park Operations (sample)", HKSTP
)


TENANTS = (
    ("Lingding Language AI", "伶仃語言智能", "Leung Hiu Tung", "梁曉彤", "desk B-301"),
    ("Fingertip Force Sensing", "指尖力感科技", "Lam Wing Hei", "林永熙", "office B-402"),
    ("Harbour Bionics", "港灣仿生科技", "Chan Siu Man", "陳小文", "office B-515"),
)


def tenant_items() -> list[CeremonyItem]:
    """Return three sample tenancy agreements for places in the Youth Innovation Valley."""
    return [
        CeremonyItem(
            reference=f"SAMPLE-HKSTP-SZ-TA-2026-{n:03d}",
            title_en=f"Tenancy agreement: {firm_en}, {room}",
            title_zh=f"入駐協議：{firm_zh}",
            parties=(HKSTP, f"{firm_en} {firm_zh}"),
            people=(
                HKSTP_SIGNATORY,
                person(name_en, name_zh, "Chief Executive Officer (sample)", firm_en),
            ),
            clauses=(
                SAMPLE_DOCUMENT,
                f"1. Premises: {room}, Block B (Hetao Hong Kong Youth Innovation Valley), "
                "Hong Kong Science Park Shenzhen Branch. 物業：香港科學園深圳分園乙座"
                "（河套香港青年科創谷）。",
                "2. Term: two years from the signing date, renewable once. "
                "租期：自簽約日起兩年，可續期一次。",
                "3. Services: incubation, proof-of-concept support and the Go Global service "
                "platform, under HKSTP's unified operating system. 服務：培育、概念驗證支援及"
                "「Go Global服務平臺」。",
            ),
        )
        for n, (firm_en, firm_zh, name_en, name_zh, room) in enumerate(TENANTS, start=1)
    ]


PARTNERS = (
    ("finance", "Harbour Capital Bank (sample) 港灣資本銀行（示例）", "Ip Ka Wai", "葉家威"),
    ("legal", "Lee & Partners Solicitors (sample) 李氏律師行（示例）", "Lee Wai Man", "李慧敏"),
    (
        "supply chain",
        "Bay Supply Chain Services (sample) 灣區供應鏈（示例）",
        "Ma Chi Keung",
        "馬志強",
    ),
    ("listing", "Victoria Listing Advisory (sample) 維港上市顧問（示例）", "Ko Sin Yi", "高倩儀"),
    ("consulting", "Bridgehead Consulting (sample) 橋頭堡諮詢（示例）", "Yeung Tak Ming", "楊德明"),
    ("going global", "Outbound Services Co. (sample) 出海服務（示例）", "Tse Lok Yi", "謝樂兒"),
)
VISION = "Rooted in the Bay Area, connected to the world. 深耕灣區 連結世界。"


def global_connect_items() -> list[CeremonyItem]:
    """Return six sample "Global Connect" partner agreements, one per kind of service."""
    return [
        CeremonyItem(
            reference=f"SAMPLE-GC-2026-{n:02d}",
            title_en=f'"Global Connect" partner agreement: {area} services',
            title_zh=f"「Global Connect」合作伙伴協議：{organisation.split()[-1]}",
            parties=(HKSTP, organisation),
            people=(
                person("Wong Ka Yan", "王嘉欣", "Director, Go Global (sample)", HKSTP),
                person(name_en, name_zh, "Managing Partner (sample)", organisation),
            ),
            clauses=(
                SAMPLE_DOCUMENT,
                f"1. The partner offers park firms {area} services at partner rates and "
                "names one contact person for them. 合作伙伴為園區企業提供優惠服務並指定聯絡人。",
                "2. The partner joins matching sessions that connect park firms with "
                "international resources and overseas markets. "
                "參與對接活動，協助企業開拓海外市場。",
                f"3. Shared vision: {VISION}",
            ),
        )
        for n, (area, organisation, name_en, name_zh) in enumerate(PARTNERS, start=1)
    ]


def pledge_items() -> list[CeremonyItem]:
    """Return the partner commitment: all partners on one stage with HKSTP."""
    return [
        CeremonyItem(
            reference="SAMPLE-GC-PLEDGE-2026",
            title_en='"Global Connect" partner commitment',
            title_zh="「Global Connect」合作伙伴承諾",
            parties=(HKSTP, *(organisation for _, organisation, _, _ in PARTNERS)),
            people=(
                person("Wong Ka Yan", "王嘉欣", "Director, Go Global (sample)", HKSTP),
                *(
                    person(name_en, name_zh, "Managing Partner (sample)", organisation)
                    for _, organisation, name_en, name_zh in PARTNERS
                ),
            ),
            clauses=(
                SAMPLE_DOCUMENT,
                f"We commit to a shared vision: {VISION} 我們承諾：攜手擴大全球科創網絡，支援園區"
                "企業對接國際資源、開拓海外市場，推動「引進來、走出去」雙向發展。",
            ),
        )
    ]


PRESENTERS = (
    "Shenzhen Municipal Public Security Bureau Exit-Entry Administration 深圳市公安局出入境管理局",
    "Hetao Development Authority 河套發展署",
    "Huanggang Border Inspection Station 皇岗邊檢站",
)
RESEARCH_ENTITIES = (
    ("Valley Institute of Sensing (sample) 科創谷感測研究所（示例）", "Dr Ho Ming Yan", "何明恩"),
    (
        "Cross-Boundary Biomedical Lab (sample) 跨境生物醫學實驗室（示例）",
        "Dr Sze Wai Ling",
        "施慧玲",
    ),
    (
        "Bay Area Data Research Centre (sample) 灣區數據研究中心（示例）",
        "Prof Kan Chi Fai",
        "簡志輝",
    ),
)


def certificate_items() -> list[CeremonyItem]:
    """Return the three business-visa endorsement certificates (sample recipients)."""
    return [
        CeremonyItem(
            reference=f"SAMPLE-HT-BVE-2026-{n:03d}",
            title_en=f"Business-visa endorsement certificate No. {n}",
            title_zh=f"成功辦理商務簽注證書（第{n}號）",
            parties=(*PRESENTERS, entity),
            people=(person(name_en, name_zh, "Director (sample)", entity),),
            clauses=(
                "SAMPLE CITATION for the demo only. 示例證書文字，僅供演示。 "
                f"Presented to {entity}, "
                "one of the first three research entities of the Hetao Shenzhen Park whose "
                "researchers obtained business-visa endorsements for travel to Hong Kong. "
                "頒發予園區首批成功辦理商務簽注的科研主體。",
            ),
        )
        for n, (entity, name_en, name_zh) in enumerate(RESEARCH_ENTITIES, start=1)
    ]


@dataclass(frozen=True)
class SampleCeremony:
    """A ceremony of the demo: kind, titles, start, items, and whether it is ready."""

    key: str
    kind: str
    title_en: str
    title_zh: str
    at: tuple[int, int]
    items: list[CeremonyItem]
    ready: bool


def demo_ceremonies() -> list[SampleCeremony]:
    """Return the four ceremonies of the reported running order."""
    return [
        SampleCeremony(
            "tenants",
            "signing",
            "Tenant enterprise signing ceremony",
            "入駐企業簽約儀式",
            (10, 50),
            tenant_items(),
            True,
        ),
        SampleCeremony(
            "global-connect",
            "signing",
            '"Global Connect" partner signing ceremony',
            "「Global Connect」合作伙伴簽約儀式",
            (11, 5),
            global_connect_items(),
            True,
        ),
        SampleCeremony(
            "pledge",
            "pledge",
            "Partner commitment ceremony: Rooted in the Bay Area, connected to the world",
            "合作伙伴承諾儀式：深耕灣區 連結世界",
            (11, 20),
            pledge_items(),
            False,
        ),
        SampleCeremony(
            "certificates",
            "award",
            "Presentation of business-visa endorsement certificates to the first three "
            "research entities",
            "向園區首批3家科研主體頒發成功辦理商務簽注證書",
            (11, 45),
            certificate_items(),
            True,
        ),
    ]


# The running order ------------------------------------------------------------------------


def demo_agenda(day: datetime, ceremony_ids: dict[str, str]) -> list[AgendaItem]:
    """Return the running order as reported, on `day` (venue time)."""

    def at(hour: int, minute: int) -> datetime:
        return day.replace(hour=hour, minute=minute, second=0, microsecond=0)

    def item(
        start: tuple[int, int],
        end: tuple[int, int],
        title_en: str,
        title_zh: str,
        kind: str,
        **more: Any,
    ) -> AgendaItem:
        more.setdefault("location", STAGE)
        return AgendaItem(
            starts_at=at(*start),
            ends_at=at(*end),
            title_en=title_en,
            title_zh=title_zh,
            kind=kind,
            **more,
        )

    return [
        item(
            (9, 30),
            (9, 45),
            "Opening and launch ceremony of the Hetao Hong Kong Youth Innovation Valley",
            "開幕暨河套香港青年科創谷啟動儀式",
            "ceremony",
            notes="Officiating guests: Sun Dong, Li Guobin, Huang Wei, Zhong Hai, Cha Yichao, "
            "Huang Bingxiu. Host: Jian Yiwen. 主禮嘉賓：孫東、李國彬、黃偉、钟海、查毅超、黃秉修。",
        ),
        item(
            (9, 45),
            (9, 55),
            "Speech by Sun Dong",
            "孫東局長致辭",
            "speech",
            speaker_name="Sun Dong 孫東, Secretary for Innovation, Technology and Industry, "
            "HKSAR Government",
        ),
        item(
            (9, 55),
            (10, 5),
            "Speech by Huang Wei",
            "黃偉書記致辭",
            "speech",
            speaker_name="Huang Wei 黃偉, Vice-Chairman, Shenzhen CPPCC; Party Secretary of "
            "Futian District and of the Hetao Development Authority",
        ),
        item(
            (10, 5),
            (10, 15),
            "Speech by Cha Yichao",
            "查毅超主席致辭",
            "speech",
            speaker_name="Cha Yichao 查毅超, Chairman, HKSTP",
        ),
        item(
            (9, 30),
            (13, 0),
            "Science and technology achievements exhibition: 25 park firms",
            "科創成果展：25家園區企業",
            "exhibition",
            location=HALL,
            parallel=True,
            notes="Life & health, AI & data, advanced manufacturing. 生命健康、人工智能及數據、"
            "先進製造。",
        ),
        item(
            (10, 15),
            (10, 45),
            "Guests tour the exhibition",
            "嘉賓參觀科創成果展",
            "tour",
            location=HALL,
        ),
        item(
            (10, 50),
            (11, 5),
            "Tenant enterprise signing ceremony",
            "入駐企業簽約儀式",
            "ceremony",
            ceremony_id=ceremony_ids["tenants"],
        ),
        item(
            (11, 5),
            (11, 20),
            '"Global Connect" partner signing ceremony',
            "「Global Connect」合作伙伴簽約儀式",
            "ceremony",
            ceremony_id=ceremony_ids["global-connect"],
        ),
        item(
            (11, 20),
            (11, 30),
            "Partner commitment ceremony",
            "合作伙伴承諾儀式",
            "ceremony",
            ceremony_id=ceremony_ids["pledge"],
        ),
        item(
            (11, 30),
            (11, 45),
            "Release of Hetao Shenzhen Park reform policies and service cases",
            "河套深圳園區改革政策及服務案例發佈",
            "other",
        ),
        item(
            (11, 45),
            (12, 0),
            "Business-visa endorsement certificates for the first three research entities",
            "頒發成功辦理商務簽注證書",
            "ceremony",
            ceremony_id=ceremony_ids["certificates"],
            notes="Presented by the Shenzhen Exit-Entry Administration, the Hetao Development "
            "Authority and the Huanggang Border Inspection Station.",
        ),
    ]


# Putting it in the store --------------------------------------------------------------------


def plan_demo(planning: Planning, slug: str, day: datetime, actor: str) -> bool:
    """Plan the demo's showcase, ceremonies and running order; return True if any was new.

    `day` is the gathering's start in venue time. Each part is planned only while it is
    empty, so running it again changes nothing.
    """
    changed = False
    exhibition = planning.exhibition(slug)
    if not exhibition.slots:
        planning.import_slots(slug, [Row(n, s) for n, s in enumerate(demo_slots(), 1)], actor)
        changed = True
    if not exhibition.firms:
        planning.import_firms(slug, [Row(n, f) for n, f in enumerate(demo_firms(), 1)], actor)
        changed = True
    ceremonies = planning.ceremonies(slug)
    if not ceremonies:
        ceremonies = [_plan_ceremony(planning, slug, c, day, actor) for c in demo_ceremonies()]
        changed = True
    if not planning.running_order(slug).items:
        keys = {c.title_en: c.key for c in demo_ceremonies()}
        ids = {keys[c.title_en]: str(c.id) for c in ceremonies if c.title_en in keys}
        for item in demo_agenda(day, ids):
            planning.schedule_item(slug, item, actor)
        changed = True
    return changed


def _plan_ceremony(
    planning: Planning, slug: str, sample: SampleCeremony, day: datetime, actor: str
) -> Ceremony:
    ceremony = planning.plan_ceremony(
        slug,
        actor,
        kind=sample.kind,
        title_en=sample.title_en,
        title_zh=sample.title_zh,
        starts_at=day.replace(hour=sample.at[0], minute=sample.at[1]),
        location=STAGE,
    )
    for item in sample.items:
        planning.add_ceremony_item(slug, ceremony.id, item, actor)
    if sample.ready:
        planning.mark_ceremony_ready(slug, ceremony.id, actor)
    return planning.ceremony(slug, ceremony.id)
