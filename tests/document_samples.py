"""Bilingual sample data for the printed documents, from the reference occasion (seeds).

The officials and hosts are those the reports name; the firms, partners, research entities
and the agreements' wording are made up for the tests.
"""

from __future__ import annotations

from events_app.services.print_wording import wording
from printing.documents import (
    AgendaEntry,
    AgreementData,
    Authority,
    BoothSlot,
    CeremonyData,
    CeremonyItemData,
    Exhibitor,
    Host,
    Occasion,
    Person,
    ProgrammeData,
    StageSheetData,
)

WORDING = wording()
"""The Traditional Chinese of the printed labels, from the print catalogue."""

AS_OF = "1 March 2026, 18:00 (UTC+8) · v14"

OCCASION = Occasion(
    title_en='"One Park, Two Places — Shenzhen-Hong Kong Co-creation" and Launch Ceremony '
    "of the Hetao Hong Kong Youth Innovation Valley",
    title_zh="「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式",
    date_en="Monday 2 March 2026",
    date_zh="2026年3月2日（星期一）",
    venue_en="Hong Kong Science Park Shenzhen Branch, Hetao, Futian, Shenzhen",
    venue_zh="香港科學園深圳分園（深圳福田河套）",
    hosts=(
        Host("Hong Kong Science and Technology Parks Corporation (HKSTP)", "香港科技園公司"),
        Host("Hetao Development Authority", "河套發展署"),
    ),
)

SUN_DONG = Person(
    "Sun Dong",
    "孫東",
    "Secretary for Innovation, Technology and Industry",
    "HKSAR Government",
    "香港特別行政區政府",
)
HUANG_WEI = Person(
    "Huang Wei",
    "黃偉",
    "Vice-Chairman, Shenzhen CPPCC; Party Secretary of Futian District and of the Hetao "
    "Development Authority",
    "Hetao Development Authority",
    "河套發展署",
)
CHA_YICHAO = Person(
    "Cha Yichao",
    "查毅超",
    "Chairman",
    "Hong Kong Science and Technology Parks Corporation",
    "香港科技園公司",
)
HUANG_BINGXIU = Person(
    "Huang Bingxiu",
    "黃秉修",
    "Chief Executive Officer",
    "Hong Kong Science and Technology Parks Corporation",
    "香港科技園公司",
)
ZHONG_HAI = Person("Zhong Hai", "钟海", "Director", "Hetao Development Authority", "河套發展署")
HO_WING_YAN = Person(
    "Ho Wing-yan", "何詠欣", "Co-founder", "LinguaBridge Language Models", "語橋大模型"
)
YU_CHEN = Person(
    "Yu Chen", "魚晨", "Chief Executive Officer", "Micro Force Sensing Technology", "華力創科學"
)

AGENDA = (
    AgendaEntry(
        "09:00", "Arrival of guests and registration", "嘉賓抵達及登記", "09:30", "Block B lobby"
    ),
    AgendaEntry(
        "09:30",
        "Opening and launch of the Hetao Hong Kong Youth Innovation Valley",
        "開幕暨河套香港青年科創谷啟動儀式",
        "09:40",
        "Block B atrium",
        "Officiating guests: Sun Dong, Li Guobin, Huang Wei, Zhong Hai, Cha Yichao, Huang Bingxiu",
        "ceremony",
    ),
    AgendaEntry(
        "09:40",
        "Speech",
        "致辭",
        "09:48",
        "Block B atrium",
        "Sun Dong 孫東, Secretary for Innovation, Technology and Industry",
        "speech",
    ),
    AgendaEntry(
        "09:48",
        "Speech",
        "致辭",
        "09:56",
        "Block B atrium",
        "Huang Wei 黃偉, Vice-Chairman, Shenzhen CPPCC; Party Secretary of Futian "
        "District and of the Hetao Development Authority",
        "speech",
    ),
    AgendaEntry(
        "09:56",
        "Speech",
        "致辭",
        "10:04",
        "Block B atrium",
        "Cha Yichao 查毅超, Chairman, HKSTP",
        "speech",
    ),
    AgendaEntry("10:04", "Group photograph", "大合照", "10:10", "Block B atrium"),
    AgendaEntry(
        "10:10",
        "Tenant enterprise signing ceremony",
        "入駐企業簽約儀式",
        "10:30",
        "Block B atrium",
        kind="ceremony",
    ),
    AgendaEntry(
        "10:30",
        '"Global Connect" partner signing ceremony',
        "「Global Connect」合作夥伴簽約儀式",
        "10:50",
        "Block B atrium",
        kind="ceremony",
    ),
    AgendaEntry(
        "10:50",
        "Release of the Hetao Shenzhen Park reform policies and service cases",
        "河套深圳園區改革政策及服務案例發佈",
        "11:05",
        "Block B atrium",
        "Hetao Development Authority 河套發展署",
    ),
    AgendaEntry(
        "11:05",
        "Presentation of business-visa endorsement certificates",
        "商務簽注備案證書頒發",
        "11:15",
        "Block B atrium",
        kind="ceremony",
    ),
    AgendaEntry(
        "11:15",
        "Science and technology achievements exhibition",
        "科創成果展",
        "12:00",
        "Block A, G/F and 1/F",
        "25 park firms in life & health, AI & data, advanced manufacturing",
        "tour",
    ),
    AgendaEntry(
        "12:00", "Networking lunch", "交流午宴", "13:30", "Block A, 6/F terrace", kind="reception"
    ),
)

FIRMS = {
    "life-health": [
        ("Bay Area Surgical Robotics", "灣區手術機械人", "Minimally invasive surgical robots"),
        ("GenePath Diagnostics", "基因路徑診斷", "Point-of-care genetic screening"),
        ("Harbour Biomedical Materials", "港灣生物醫學材料", "Resorbable implant materials"),
        ("NeuroLink Rehabilitation", "神經連結康復科技", "Brain-computer interfaces for rehab"),
        ("Qianhai Precision Medicine", "前海精準醫療", ""),
        ("Lotus Cell Therapeutics", "蓮花細胞治療", "Cell therapies for solid tumours"),
        ("CareSense Wearables", "康感穿戴", "Wearable vital-sign monitors for elderly care"),
        ("Pearl River Chinese Medicine Innovation", "珠江中醫藥創新", ""),
    ],
    "ai-data": [
        ("Hetao Data Exchange Lab", "河套數據交易實驗室", "Cross-boundary data flow sandbox"),
        ("VisionMind AI", "視覺心智人工智能", "Machine vision for factories"),
        ("Cross-border Compliance Cloud", "跨境合規雲", ""),
        ("LinguaBridge Language Models", "語橋大模型", "Cantonese-Mandarin-English models"),
        ("QuantSeed Fintech", "量種金融科技", ""),
        ("SmartPort Logistics Analytics", "智港物流分析", "Port and customs analytics"),
        ("EdgeCore Compute Systems", "邊核計算系統", ""),
        ("Greater Bay Trusted Identity", "大灣區可信身份", "Digital identity across the Bay"),
        ("Azure Harbour Robot Software", "蔚港機器人軟件", ""),
    ],
    "advanced-manufacturing": [
        (
            "Micro Force Sensing Technology",
            "華力創科學",
            "Fingertip-size multi-dimensional force sensors for embodied AI",
        ),
        ("Shenzhen-HK Microelectronics", "深港微電子", ""),
        ("NanoCoat Materials", "納米塗層材料", "Functional nano-coatings"),
        ("Photon Forge Lasers", "光鑄激光", "Ultrafast industrial lasers"),
        ("GreenCell Batteries", "綠芯電池", "Solid-state battery cells"),
        ("Drone Dynamics", "無人機動力", ""),
        ("Precision Motion Actuators", "精密運動執行器", ""),
        ("Smart Textile Works", "智能紡織工場", ""),
    ],
}

ZONES = (
    ("Atrium", "G/F", "A", 10),
    ("East Gallery", "1/F", "E", 9),
    ("West Gallery", "1/F", "W", 9),
)


def slots_and_exhibitors() -> tuple[tuple[BoothSlot, ...], tuple[Exhibitor, ...]]:
    """Return 28 booth slots in three zones and 25 firms placed in them (3 slots free)."""
    codes = [
        (f"{prefix}-{n:02d}", zone, floor)
        for zone, floor, prefix, count in ZONES
        for n in range(1, count + 1)
    ]
    firms = [(sector, *firm) for sector, listed in FIRMS.items() for firm in listed]
    sectors = [firm[0] for firm in firms]
    slots = []
    exhibitors = []
    for index, (code, zone, floor) in enumerate(codes):
        sector = sectors[index] if index < len(firms) else sectors[index % len(sectors)]
        size = "6x3" if code in {"A-01", "A-06", "E-05"} else "3x3"
        slots.append(BoothSlot(code, zone, floor, sector, size))
        if index < len(firms):
            _, name_en, name_zh, description = firms[index]
            exhibitors.append(Exhibitor(name_en, name_zh, sector, code, description))
    return tuple(slots), tuple(exhibitors)


TENANCY_CLAUSES = (
    "The Park Company grants the Tenant a licence to occupy Office B-512 on the fifth floor "
    "of Block B of the Hong Kong Science Park Shenzhen Branch (the Premises) for a term of "
    "three years from 2 March 2026.\n"
    "園區公司許可租戶自2026年3月2日起佔用香港科學園深圳分園B座五樓B-512室（「該物業」），"
    "為期三年。",
    "The Tenant shall use the Premises only for research and development in advanced "
    "manufacturing, and shall take part in the Park's incubation, Go Global and talent "
    "programmes.\n租戶只可將該物業用於先進製造的研究及開發，並須參與園區的培育、出海及人才計劃。",
    "Each party shall keep confidential the terms of this agreement and any information of "
    "the other party that it learns under it, save as the law requires.\n"
    "除法律規定外，各方須對本協議條款及因本協議而知悉的對方資料保密。",
    "This agreement is governed by the laws of the Hong Kong Special Administrative Region; "
    "the parties submit to the non-exclusive jurisdiction of its courts.\n"
    "本協議受香港特別行政區法律管轄；各方接受香港法院的非專屬管轄。",
)

GLOBAL_CONNECT_PARTNERS = (
    Person(
        "Cha Yichao",
        "查毅超",
        "Chairman",
        "Hong Kong Science and Technology Parks Corporation",
        "香港科技園公司",
    ),
    Person(
        "Margaret Leung",
        "梁美華",
        "Managing Director, Greater Bay Area Banking",
        "Harbour Finance Group",
        "港灣金融集團",
    ),
    Person("Lam Ka-chun", "林嘉俊", "Senior Partner", "Lam & Partners, Solicitors", "林氏律師行"),
    Person(
        "Zhou Ming",
        "周明",
        "General Manager",
        "Pearl Delta Supply Chain Services",
        "珠三角供應鏈服務",
    ),
    Person(
        "Alexandra Fitzgerald-Wong",
        "黃雅麗",
        "Head of Listing Advisory, Asia Pacific",
        "Victoria Harbour Capital Markets Advisory",
        "維港資本市場顧問",
    ),
    Person(
        "Chen Jing",
        "陳靜",
        "Founder and Chief Executive",
        "Go Global Enterprise Services",
        "出海企業服務",
    ),
)

GLOBAL_CONNECT = CeremonyItemData(
    reference="HKSTP-SZ-GC-2026-007",
    title_en='"Global Connect" Partnership Agreement: Rooted in the Bay Area, Connected to '
    "the World",
    title_zh="「Global Connect」合作夥伴協議：深耕灣區 連結世界",
    parties=tuple(f"{p.organisation} {p.organisation_zh}" for p in GLOBAL_CONNECT_PARTNERS),
    people=GLOBAL_CONNECT_PARTNERS,
    clauses=(
        "The partners shall offer the firms of the Park, on preferential terms, services in "
        "finance, law, supply chain, listing, consulting and going global, so that they can "
        "reach international resources and open overseas markets.\n"
        "各合作夥伴以優惠條件為園區企業提供金融、法律、供應鏈、上市、諮詢及出海服務，"
        "助其對接國際資源、開拓海外市場。",
        "HKSTP shall list the partners on its Go Global service platform and refer firms to "
        "them; a referral binds neither the firm nor the partner.\n"
        "香港科技園公司將合作夥伴列入其Go Global服務平臺並向其轉介企業；"
        "轉介對企業及合作夥伴均無約束力。",
        "Each partner shall report to HKSTP twice a year the firms served and the services "
        "given, without disclosing any client's confidential information.\n"
        "各合作夥伴每年兩次向香港科技園公司報告所服務的企業及所提供的服務，"
        "但不得披露客戶的保密資料。",
        "This agreement runs for two years from signing and may be renewed by the partners "
        "in writing.\n本協議自簽署起為期兩年，經各方書面同意可續期。",
    ),
    presenters=(SUN_DONG, HUANG_WEI),
    time="10:30",
    notes="Six signatories seated in party order; HKSTP at seat 1. Pens and folders on the "
    "table; exchange of folders after signing, then photograph with the officiating guests.",
)

TENANCY = CeremonyItemData(
    reference="HKSTP-SZ-TEN-2026-031",
    title_en="Tenancy Agreement for Office B-512, Hetao Hong Kong Youth Innovation Valley",
    title_zh="河套香港青年科創谷B-512室入駐協議",
    parties=(
        "Hong Kong Science and Technology Parks Corporation 香港科技園公司",
        "Micro Force Sensing Technology 華力創科學",
    ),
    people=(HUANG_BINGXIU, YU_CHEN),
    clauses=TENANCY_CLAUSES,
    time="10:12",
)

RESEARCH_ENTITIES = (
    Person(
        "Liang Zhiwei",
        "梁志偉",
        "Director",
        "Hetao Institute of Brain-inspired Intelligence",
        "河套類腦智能研究院",
    ),
    Person(
        "Wong Siu-fong",
        "黃小芳",
        "Executive Director",
        "Shenzhen-Hong Kong Institute of Advanced Materials",
        "深港先進材料研究院",
    ),
    Person("", "", "", "Greater Bay Area Quantum Research Centre", "大灣區量子研究中心"),
)

VISA_PRESENTERS = (
    Person(
        "Chen Li",
        "陳立",
        "Deputy Director",
        "Shenzhen Exit-Entry Administration",
        "深圳市公安局出入境管理局",
    ),
    ZHONG_HAI,
    Person("Xu Hang", "許航", "Deputy Head", "Huanggang Border Inspection Station", "皇崗邊檢站"),
)

VISA_AUTHORITIES = (
    Authority(
        "Shenzhen Municipal Public Security Bureau Exit-Entry Administration",
        "深圳市公安局出入境管理局",
        Person("Wang Jianguo", "王建國", "Director (sample)", title_zh="局長（示例）"),
        seal=True,
    ),
    Authority(
        "Hetao Development Authority",
        "河套發展署",
        Person("Li Wenjie", "李文傑", "Director-General (sample)", title_zh="署長（示例）"),
        seal=True,
    ),
    Authority(
        "Huanggang Border Inspection Station",
        "皇崗邊檢站",
        Person("Zhao Mingyuan", "趙明遠", "Station Chief (sample)", title_zh="站長（示例）"),
    ),
)
"""The issuing authorities of the business-visa certificates; the third does not seal."""

VISA_AWARD = CeremonyItemData(
    reference="HTDA-VISA-2026-001",
    title_en="Business Visa Endorsement for Research Entities",
    title_zh="科研機構商務簽注備案證書",
    people=RESEARCH_ENTITIES,
    parties=(
        "Shenzhen Exit-Entry Administration 深圳市公安局出入境管理局",
        "Hetao Development Authority 河套發展署",
        "Huanggang Border Inspection Station 皇崗邊檢站",
    ),
    clauses=(
        "is among the first research entities of the Hetao Shenzhen-Hong Kong Science and "
        "Technology Innovation Cooperation Zone whose researchers may apply for business-visa "
        "endorsements to travel to Hong Kong, under the Zone's reform measures.",
        "為河套深港科技創新合作區首批可為其科研人員申辦赴港商務簽注的科研機構。",
    ),
    presenters=VISA_PRESENTERS,
    time="11:05",
    notes="Recipients enter from house left; presenters stand centre. One photograph per "
    "certificate, then a group photograph.",
)

CEREMONIES = (
    CeremonyData(
        "signing",
        "Tenant enterprise signing ceremony",
        "入駐企業簽約儀式",
        "10:10",
        "Block B atrium",
        (
            TENANCY,
            CeremonyItemData(
                "HKSTP-SZ-TEN-2026-032",
                "Tenancy Agreement for Office B-303",
                "B-303室入駐協議",
                (
                    "Hong Kong Science and Technology Parks Corporation 香港科技園公司",
                    "LinguaBridge Language Models 語橋大模型",
                ),
                (HUANG_BINGXIU, HO_WING_YAN),
                TENANCY_CLAUSES,
                time="10:18",
            ),
        ),
    ),
    CeremonyData(
        "signing",
        '"Global Connect" partner signing ceremony',
        "「Global Connect」合作夥伴簽約儀式",
        "10:30",
        "Block B atrium",
        (GLOBAL_CONNECT,),
        notes="Shared vision on the backdrop: 深耕灣區 連結世界",
    ),
    CeremonyData(
        "award",
        "Presentation of business-visa endorsement certificates",
        "商務簽注備案證書頒發",
        "11:05",
        "Block B atrium",
        (VISA_AWARD,),
    ),
)


def programme() -> ProgrammeData:
    """Return the programme of the day: 12 agenda items, 3 ceremonies, 25 firms, 28 booths."""
    slots, exhibitors = slots_and_exhibitors()
    return ProgrammeData(
        occasion=OCCASION,
        as_of=AS_OF,
        agenda=AGENDA,
        ceremonies=CEREMONIES,
        exhibitors=exhibitors,
        slots=slots,
        wording=WORDING,
    )


def agreement(item: CeremonyItemData = GLOBAL_CONNECT) -> AgreementData:
    """Return the agreement of an item signed at the occasion."""
    return AgreementData(
        occasion=OCCASION,
        item=item,
        as_of=AS_OF,
        ceremony_en='"Global Connect" partner signing ceremony',
        ceremony_zh="「Global Connect」合作夥伴簽約儀式",
        signing_date="2 March 2026",
        place="Hong Kong Science Park Shenzhen Branch",
        wording=WORDING,
    )


def stage_sheet() -> StageSheetData:
    """Return the stage manager's sheet of the day."""
    return StageSheetData(occasion=OCCASION, as_of=AS_OF, ceremonies=CEREMONIES, wording=WORDING)


HOSTILE_EN = "Extraordinarily-long-hyphenated-organisation-name " * 12 + "Ltd\x00\x07\t\r\n"
HOSTILE_ZH = "深圳河套深港科技創新合作區香港園區發展有限公司" * 8


def hostile_item() -> CeremonyItemData:
    """Return an item that tries every way to break a page: 40 people, endless words, emoji."""
    long_en, long_zh = HOSTILE_EN, HOSTILE_ZH
    crowd = tuple(
        Person(f"Person {n} {long_en[: n * 7]}", "陳" * (n % 5), long_en[: n * 9], long_zh[: n * 3])
        for n in range(40)
    )
    return CeremonyItemData(
        reference="X" * 40,
        title_en=long_en,
        title_zh=long_zh + "😀",
        parties=tuple(p.organisation or "Party" for p in crowd[:12]),
        people=crowd,
        clauses=(long_en * 3, long_zh * 4, "🚀" * 30, "\n\n\n", "（" * 50 + "）" * 50),
        presenters=crowd[:20],
        time="",
        notes=long_en,
    )
