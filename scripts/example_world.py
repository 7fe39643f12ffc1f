"""The synthetic CTC world behind the bundled example ledger.

Facts come from the public decisions in the seeds: the committees, that the
first phase ran in five areas, the 2017 decision and the 2018 start of the
local development leaders, the eight positions at stadskontoret, the 2024
reorganisation and its decisions. The five areas' names are not in the
documents: they are invented (plausible districts of Malmö), as are the
committees' own decisions and KF's budget decisions, which the register
marks synthetic. Amounts (salaries, other costs, income, kommunbidrag) are
invented but plausible, and calibrated so that 2018-2023 costs about 50 MSEK
gross, the figure the city published. Nothing here is random: variation comes from a hash of
a fixed key, so every run gives the same books.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

D = Decimal
MUNICIPALITY = "Malmo"
LINKOPING = "Linkoping"
FIRST_YEAR = 2017
LAST_YEAR = 2025
REORG_DATE = datetime.date(2024, 9, 1)
UL_START = datetime.date(2018, 9, 1)

EMPLOYER_CONTRIBUTION = D("31.42")
"""Statutory employer's contributions (arbetsgivaravgifter), % of salary, 2017-2025."""

HOLIDAY_SUPPLEMENT = D("0.20")
"""Holiday pay supplement paid in July, as a share of the monthly salary."""


def unit_hash(key: str) -> Decimal:
    """A stable pseudo-random number in [0, 1) derived from `key`."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return D(int(digest[:8], 16)) / D(2**32)


SPREAD = D("0.10")


def vary(base: Decimal, key: str, spread: Decimal = SPREAD) -> Decimal:
    """`base` varied by up to +-`spread`, to the öre, deterministically."""
    factor = 1 + spread * (2 * unit_hash(key) - 1)
    return (base * factor).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def round_kr(value: Decimal, quantum: str = "1") -> Decimal:
    """Round half away from zero to `quantum` kronor."""
    return (
        value.quantize(D(quantum), rounding=ROUND_HALF_UP)
        if quantum == "1"
        else ((value / D(quantum)).quantize(D(1), rounding=ROUND_HALF_UP) * D(quantum))
    )


# --- Committees, areas, responsibility codes ---------------------------------

COMMITTEES: list[tuple[str, str, str]] = [
    (MUNICIPALITY, "KS", "Kommunstyrelsen (stadskontoret)"),
    (MUNICIPALITY, "AoS", "Arbetsmarknads- och socialnämnden"),
    (MUNICIPALITY, "GrN", "Grundskolenämnden"),
    (MUNICIPALITY, "FsN", "Förskolenämnden"),
    (MUNICIPALITY, "KuN", "Kulturnämnden"),
    (MUNICIPALITY, "FrN", "Fritidsnämnden"),
    (LINKOPING, "KS", "Kommunstyrelsen"),
    (LINKOPING, "SON", "Social- och omsorgsnämnden"),
]

AREAS = ["Bellevuegården", "Bunkeflostrand", "Hermodsdal", "Kirseberg", "Möllevången"]

KS_TEAM_UNIT = "110240"
KS_ANALYSIS_UNIT = "110100"
AOS_CENTRAL_UNIT = "310310"
FRN_CENTRAL_UNIT = "650030"

AREA_UNITS: dict[str, tuple[str, str]] = {
    "310455": ("AoS", "Hermodsdal"),
    "520101": ("GrN", "Bunkeflostrand"),
    "540110": ("FsN", "Bellevuegården"),
    "610020": ("KuN", "Möllevången"),
    "650031": ("FrN", "Kirseberg"),
    "650032": ("FrN", "Hermodsdal"),
    "650033": ("FrN", "Bunkeflostrand"),
    "650034": ("FrN", "Bellevuegården"),
    "650035": ("FrN", "Möllevången"),
}
"""Responsibility codes of the area units (synthetic; FrN's 650032-35 from 2024-09)."""

UNIT_OF_AREA_BEFORE = {
    area: unit for unit, (c, area) in AREA_UNITS.items() if c != "FrN" or unit == "650031"
}
UNIT_OF_AREA_AFTER = {area: unit for unit, (c, area) in AREA_UNITS.items() if c == "FrN"}


# --- Rates ---------------------------------------------------------------------


@dataclass(frozen=True)
class PoRate:
    year: int
    percent: Decimal
    estimate: bool
    source: str


ESTIMATE = "Uppskattning, inte SKR:s publicerade sats (den har inte kunnat kontrolleras här)"

PO_RATES = [
    PoRate(2017, D("38.46"), True, f"{ESTIMATE}"),
    PoRate(
        2018,
        D("39.17"),
        True,
        f"{ESTIMATE}: SKR:s sats 2018 var något högre än 2019 års 39,15 % (SKR sänkte "
        "avtalsförsäkringarna 2019 och lät pensionspålägget vara oförändrat)",
    ),
    PoRate(2019, D("39.15"), False, "SKR, PO-pålägg 2019"),
    PoRate(2020, D("40.15"), False, "SKR, PO-pålägg 2020"),
    PoRate(2021, D("40.15"), False, "SKR, PO-pålägg 2021"),
    PoRate(2022, D("39.25"), False, "SKR, PO-pålägg 2022"),
    PoRate(2023, D("44.53"), False, "SKR, PO-pålägg 2023"),
    PoRate(
        2024,
        D("46.00"),
        True,
        f"{ESTIMATE}: SKR höjde i december 2023 pålägget för pensioner 2024 med 1,4 "
        "procentenheter över det preliminära, över 2023 års 44,53 %",
    ),
    PoRate(2025, D("42.50"), True, f"{ESTIMATE}"),
]
PO = {rate.year: rate.percent / 100 for rate in PO_RATES}

SALARY_REVISION = {
    2018: D("2.6"),
    2019: D("2.4"),
    2020: D("2.0"),
    2021: D("2.1"),
    2022: D("2.4"),
    2023: D("3.6"),
    2024: D("4.0"),
    2025: D("3.2"),
}
"""Yearly salary revision from 1 April, in per cent (synthetic)."""


# --- Decisions -------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    body: str
    date: datetime.date
    paragraph: str | None
    municipality: str
    title: str
    diary: str | None = None
    synthetic: bool = False
    note: str | None = None
    status: str | None = None
    """förslag, beslut, besvarad or upphävd; None leaves it a decision (beslut)."""
    date_exact: bool = True
    """False when the day is a placeholder or a planned date the documents do not confirm."""
    extra: tuple[tuple[str, object], ...] = ()
    """Further register metadata: a question's years, a published figure, reservations."""

    @property
    def id(self) -> str:
        base = f"{self.body}-{self.date.isoformat()}"
        return f"{base}-p{self.paragraph}" if self.paragraph else base


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


KS_2017 = Decision(
    "KS",
    _date("2017-05-03"),
    None,
    MUNICIPALITY,
    "Communities That Care (CTC) som struktur för det systematiska trygghetsarbetet, första fasen i fem områden",
    "STK-2016-166",
    note="Handlingarna anger maj 2017; dagen är en platshållare. Beslutet upphävdes av KS 2024-09-11.",
    status="upphävd",
    date_exact=False,
)
PLANNED = "Datum ur beslutsplaneringen i tjänsteskrivelsen; beslutet självt är inte kontrollerat."
KSAU_2020 = Decision(
    "KSAU",
    _date("2020-06-15"),
    None,
    MUNICIPALITY,
    "Communities That Care – uppföljning; förslag till kommunstyrelsen",
    "STK-2016-166",
    note=f"Diarienumret är 2017 års ärende, som uppföljningen redovisas i. {PLANNED}",
    status="förslag",
    date_exact=False,
)
KS_2020 = Decision(
    "KS",
    _date("2020-06-17"),
    None,
    MUNICIPALITY,
    "Communities That Care – uppföljning och fortsatt planering",
    "STK-2016-166",
    note=f"Diarienumret är 2017 års ärende, som uppföljningen redovisas i. {PLANNED}",
    date_exact=False,
)
KSAU_2024_REMISS = Decision(
    "KSAU",
    _date("2024-03-25"),
    None,
    MUNICIPALITY,
    "Verksamhetsförändring inom Communities That Care (CTC); remiss till nämnderna",
    "STK-2024-351",
    note=f"Diarienumret härlett ur rapportens nummer STK-2024-351-5. Handlingen är förslaget till KSAU. {PLANNED}",
    status="förslag",
    date_exact=False,
)
KS_2024_REPEAL = Decision(
    "KS",
    _date("2024-09-11"),
    None,
    MUNICIPALITY,
    "Upphävande av beslutet att anta CTC som metod för systematiskt trygghetsarbete",
    "STK-2016-166",
)
KF_2024 = Decision(
    "KF",
    _date("2024-09-26"),
    "190",
    MUNICIPALITY,
    "Verksamhetsförändring inom Communities That Care (CTC): ansvaret för universell prevention flyttas till arbetsmarknads- och socialnämnden",
    "STK-2024-351",
    note="Diarienumret härlett ur rapportens nummer STK-2024-351-5.",
)
KSAU_2024_MOTION = Decision(
    "KSAU",
    _date("2024-12-02"),
    "604",
    MUNICIPALITY,
    "Motion (V) om att redovisa och utvärdera arbetet med CTC; kostnaden 2018–2023 cirka 50 miljoner kronor",
    "STK-2023-1410",
    note=(
        "Protokollsutdrag. KSAU föreslår KS att föreslå KF att anse motionen besvarad. Motionen "
        "frågar vilka årliga kostnader det finns för CTC."
    ),
    status="förslag",
    extra=(
        ("from_year", D(2018)),
        ("to_year", D(2023)),
        ("published", D(50_000_000)),
        (
            "published_note",
            "”cirka 50 miljoner kronor” enligt en sammanställning av stadskontorets "
            "ekonomiavdelning; protokollet säger inte vad den omfattar (brutto eller netto, "
            "vilka konton)",
        ),
    ),
)
COMMITTEE_2024 = [
    Decision(
        body,
        _date(day),
        para,
        MUNICIPALITY,
        "Yttrande över verksamhetsförändring inom CTC och justering av kommunbidraget",
        "STK-2024-351",
        synthetic=True,
        note="Syntetiskt exempel: nämnden beslutade om sin justering före 2024-05-03; datum och § är påhittade.",
        date_exact=False,
    )
    for body, day, para in [
        ("AoS", "2024-04-17", "58"),
        ("GrN", "2024-04-18", "41"),
        ("FsN", "2024-04-23", "37"),
        ("KuN", "2024-04-24", "29"),
        ("FrN", "2024-04-25", "33"),
    ]
]
LKP_MOTION_2019 = Decision(
    "KF",
    _date("2019-09-17"),
    None,
    LINKOPING,
    "Motion (S) till kommunfullmäktige: Förebygg otrygghet och kriminalitet med CTC-modellen "
    "(testa CTC i lämpliga områden och utvärdera)",
    "KS 2019-676",
    note=(
        "Motionen är daterad 2019-09-17 (datum och diarienummer enligt KS 2022 § 65); den "
        "besvarades 2022 (KS § 65, förslag till KF)."
    ),
    status="besvarad",
)
SON_2022 = Decision(
    "SON",
    _date("2022-02-16"),
    "4",
    LINKOPING,
    "Förebygg otrygghet och kriminalitet med CTC-modellen, svar på motion (S)",
    "KS 2019-676",
    note="Förslag till KS: motionen besvaras.",
    status="förslag",
)
LKP_KS_2022 = Decision(
    "KS",
    _date("2022-03-08"),
    "65",
    LINKOPING,
    "Förebygg otrygghet och kriminalitet med CTC-modellen, svar på motion (S): motionen "
    "besvaras (förslag till KF)",
    "KS 2019-676",
    note=(
        "Handlingen anger § 65 men inte sammanträdets datum; dagen är en platshållare. KS "
        "tillstyrker SON:s förslag och föreslår KF att besvara motionen med hänvisning till att "
        "förvaltningen avser att överväga CTC och skriva en konsekvensbeskrivning."
    ),
    status="besvarad",
    date_exact=False,
    extra=(
        (
            "reservations",
            "(S) och (MP) reserverade sig till förmån för eget yrkande om bifall till motionen",
        ),
        ("answers", "KF-2019-09-17"),
    ),
)


def budget_decision(year: int) -> Decision:
    """KF's (synthetic) budget decision for `year`, taken in November the year before."""
    day = datetime.date(year - 1, 11, 20)
    day += datetime.timedelta(days=(3 - day.weekday()) % 7)  # KF meets on a Thursday
    return Decision(
        "KF",
        day,
        str(300 + year % 100),
        MUNICIPALITY,
        f"Budget {year} för Malmö stad (kommunbidrag till nämnderna)",
        None,
        synthetic=True,
        note="Syntetiskt exempel: datum och § är påhittade.",
        date_exact=False,
    )


BUDGET_DECISIONS = {year: budget_decision(year) for year in range(FIRST_YEAR + 1, LAST_YEAR + 1)}
"""KF's budget per year; 2017's CTC money came from KS's own frame by KS's decision."""

DECISIONS = sorted(
    [
        KS_2017,
        KSAU_2020,
        KS_2020,
        KSAU_2024_REMISS,
        *COMMITTEE_2024,
        KS_2024_REPEAL,
        KF_2024,
        KSAU_2024_MOTION,
        LKP_MOTION_2019,
        SON_2022,
        LKP_KS_2022,
        *BUDGET_DECISIONS.values(),
    ],
    key=lambda d: (d.date, d.id),
)


# --- Positions ---------------------------------------------------------------------


@dataclass
class Position:
    id: str
    role: str
    committee: str
    area: str | None
    fte: Decimal
    start: datetime.date
    salary: Decimal
    unit: str
    move_to: tuple[str, str] | None = None
    """(committee, unit) it moves to at the reorganisation, if any."""
    vacant: list[tuple[int, int]] = field(default_factory=list)
    """(year, month) with no salary paid: the post stood vacant."""


# id, role, committee, area, fte, start, monthly salary, unit, (moves to, new unit)
POSITION_TABLE = [
    (
        "CUL-1",
        "Central utvecklingsledare",
        "KS",
        None,
        "1.0",
        "2017-09-01",
        43200,
        "110241",
        ("AoS", "310311"),
    ),
    (
        "CUL-2",
        "Central utvecklingsledare",
        "KS",
        None,
        "1.0",
        "2017-09-01",
        42300,
        "110242",
        ("AoS", "310312"),
    ),
    (
        "ANA-1",
        "Analytiker, CTC-enkäten (del av tjänst)",
        "KS",
        None,
        "0.5",
        "2018-01-01",
        44600,
        KS_ANALYSIS_UNIT,
        None,
    ),
    (
        "UL-HER",
        "Lokal utvecklingsledare",
        "AoS",
        "Hermodsdal",
        "1.0",
        "2018-09-01",
        39000,
        "310455",
        ("FrN", "650032"),
    ),
    (
        "UL-BUN",
        "Lokal utvecklingsledare",
        "GrN",
        "Bunkeflostrand",
        "1.0",
        "2018-09-01",
        38600,
        "520101",
        ("FrN", "650033"),
    ),
    (
        "UL-BEL",
        "Lokal utvecklingsledare",
        "FsN",
        "Bellevuegården",
        "1.0",
        "2018-09-01",
        38800,
        "540110",
        ("FrN", "650034"),
    ),
    (
        "UL-MOL",
        "Lokal utvecklingsledare",
        "KuN",
        "Möllevången",
        "1.0",
        "2018-09-01",
        38400,
        "610020",
        ("FrN", "650035"),
    ),
    (
        "UL-KIR",
        "Lokal utvecklingsledare",
        "FrN",
        "Kirseberg",
        "1.0",
        "2018-09-01",
        39200,
        "650031",
        None,
    ),
    (
        "CUL-3",
        "Central utvecklingsledare",
        "KS",
        None,
        "1.0",
        "2019-03-01",
        43800,
        "110243",
        ("AoS", "310313"),
    ),
    (
        "IMP-1",
        "Implementeringsledare",
        "KS",
        None,
        "1.0",
        "2020-01-01",
        41500,
        "110244",
        ("AoS", "310314"),
    ),
    (
        "IMP-2",
        "Implementeringsledare",
        "KS",
        None,
        "1.0",
        "2020-01-01",
        41000,
        "110245",
        ("AoS", "310315"),
    ),
    (
        "IMP-3",
        "Programsamordnare",
        "KS",
        None,
        "1.0",
        "2021-01-01",
        40400,
        "110246",
        ("AoS", "310316"),
    ),
    (
        "IMP-4",
        "Programsamordnare",
        "KS",
        None,
        "0.75",
        "2021-09-01",
        40000,
        "110247",
        ("AoS", "310317"),
    ),
]
"""Each position has its own responsibility code (unit), so its payroll is traceable."""

VACANCIES = {
    "UL-BUN": [(2021, m) for m in (2, 3, 4, 5)],
    "IMP-3": [(2023, m) for m in (3, 4, 5, 6)],
}
"""Months in which a post stood vacant and no salary was paid (turnover)."""

POSITIONS = [
    Position(
        ident,
        role,
        committee,
        area,
        D(fte),
        _date(start),
        D(salary),
        unit,
        move,
        VACANCIES.get(ident, []),
    )
    for ident, role, committee, area, fte, start, salary, unit, move in POSITION_TABLE
]


def revised(salary: Decimal, year: int) -> Decimal:
    """A monthly salary after the year's revision, rounded to 100 kr."""
    return round_kr(salary * (1 + SALARY_REVISION[year] / 100), "100")


def salary_on(position: Position, day: datetime.date) -> Decimal:
    """The position's monthly salary (full time) on `day`."""
    salary = position.salary
    for year in range(position.start.year, day.year + 1):
        revision_day = datetime.date(year, 4, 1)
        if year in SALARY_REVISION and position.start < revision_day <= day:
            salary = revised(salary, year)
    return salary


def revision_days(position: Position) -> list[datetime.date]:
    """The 1 April dates on which the position's salary is revised."""
    return [
        datetime.date(year, 4, 1)
        for year in range(position.start.year, LAST_YEAR + 1)
        if year in SALARY_REVISION and position.start < datetime.date(year, 4, 1)
    ]


def holder_on(position: Position, day: datetime.date) -> tuple[str, str]:
    """(committee, unit) funding the position on `day`."""
    if position.move_to is not None and day >= REORG_DATE:
        return position.move_to
    return position.committee, position.unit


def active_on(position: Position, day: datetime.date) -> bool:
    """Whether the position exists on `day` (all run to the end of the example)."""
    return day >= position.start


# --- Other costs -------------------------------------------------------------------


@dataclass(frozen=True)
class OtherCost:
    """A planned yearly cost item, booked in `parts` rows spread over the year."""

    year: int
    unit: str
    account: str
    text: str
    amount: Decimal
    parts: int
    months: tuple[int, ...] = tuple(range(1, 13))


ACCOUNT_NAMES = {
    "5011": "Månadslön",
    "5021": "Semesterlön",
    "5611": "Arbetsgivaravgifter",
    "5711": "Pensionskostnader",
    "6410": "Kurser och konferenser",
    "6530": "Trycksaker",
    "7010": "Konsulttjänster",
    "7050": "Enkätundersökningar",
    "7620": "Licenser",
    "7690": "Interna köp",
    "3010": "Bidrag",
    "3510": "Försäljning av utbildning",
    "3590": "Intern försäljning",
}

KS_TRAINING = {
    2017: 380000,
    2018: 260000,
    2019: 120000,
    2020: 60000,
    2021: 90000,
    2022: 110000,
    2023: 100000,
}
KS_PROGRAMMES = {2020: 180000, 2021: 220000, 2022: 240000, 2023: 240000}
SURVEY = {2019: 410000, 2021: 440000, 2023: 470000, 2025: 495000}
AREA_PROGRAMMES = {2018: 20000, 2019: 60000, 2020: 70000}
AREA_PROGRAMMES_LATER = 85000
AREA_TRAINING = 15000
AREA_PRINT = 8000
LICENCE = 120000
CENTRAL_TRAINING_FULL_YEAR = 100000
CENTRAL_PROGRAMMES_FULL_YEAR = 240000
LICENCE_FULL_YEAR = 125000


PROGRAMME_TRAINERS = "Programutbildare, evidensbaserade program"
QUARTERS = (2, 4, 9, 11)
TRAINING_MONTHS = (3, 5, 10)


def central_costs(year: int) -> list[OtherCost]:
    """Costs of the central team: training, licences, programmes, print, survey.

    Until the reorganisation they are booked at KS's CTC unit; from
    2024-09-01 at AoS's central unit. The survey stays with KS's analysis.
    """
    ks, aos = KS_TEAM_UNIT, AOS_CENTRAL_UNIT
    plan: list[tuple[str, str, str, int, tuple[int, ...]]] = []
    if year in KS_TRAINING:
        months = TRAINING_MONTHS if year > FIRST_YEAR else (9, 10, 11)
        plan.append((ks, "6410", "CTC-utbildning", KS_TRAINING[year], months))
    if year == FIRST_YEAR:
        plan.append((ks, "7620", "CTC-licens", 95000, (10,)))
    else:
        unit, amount = (ks, LICENCE) if year <= REORG_DATE.year else (aos, LICENCE_FULL_YEAR)
        plan.append((unit, "7620", "CTC-licens", amount, (2,)))
    if year in KS_PROGRAMMES:
        plan.append((ks, "7010", PROGRAMME_TRAINERS, KS_PROGRAMMES[year], QUARTERS))
    if year == REORG_DATE.year:
        plan += [
            (ks, "7010", PROGRAMME_TRAINERS, 160000, (3, 5)),
            (ks, "6410", "CTC-utbildning", 60000, (4,)),
            (aos, "7010", PROGRAMME_TRAINERS, 80000, (10,)),
            (aos, "6410", "CTC-utbildning", 30000, (11,)),
        ]
    if year > REORG_DATE.year:
        plan += [
            (aos, "7010", PROGRAMME_TRAINERS, CENTRAL_PROGRAMMES_FULL_YEAR, QUARTERS),
            (
                aos,
                "6410",
                "Utbildning universell prevention",
                CENTRAL_TRAINING_FULL_YEAR,
                TRAINING_MONTHS,
            ),
        ]
    plan.append(
        (
            ks if year < REORG_DATE.year else aos,
            "6530",
            "Trycksaker, informationsmaterial",
            30000,
            (4, 10),
        )
    )
    if year in SURVEY:
        plan.append(
            (
                KS_ANALYSIS_UNIT,
                "7050",
                "CTC-enkäten: genomförande och analys",
                SURVEY[year],
                (3, 6, 11),
            )
        )
    return [
        OtherCost(year, unit, account, text, D(amount), len(months), months)
        for unit, account, text, amount, months in plan
    ]


def area_costs(year: int) -> list[OtherCost]:
    """Each area team's costs: programmes, training and print, at its unit."""
    if year < 2018:
        return []
    items: list[OtherCost] = []
    for area in AREAS:
        before = UNIT_OF_AREA_BEFORE[area]
        after = UNIT_OF_AREA_AFTER.get(area, before) if area != "Kirseberg" else before
        programmes = D(AREA_PROGRAMMES.get(year, AREA_PROGRAMMES_LATER))
        if year < 2024:
            units = [(before, (1, 12))]
        elif year == 2024:
            units = [(before, (1, 8)), (after, (9, 12))]
        else:
            units = [(after, (1, 12))]
        for unit, (first, last) in units:
            share = D(last - first + 1) / 12
            months = tuple(range(first, last + 1))
            if year == 2018:
                months = (10, 11, 12)
                share = D(1)
            items.append(
                OtherCost(
                    year,
                    unit,
                    "7010",
                    f"Områdesteam {area}: insatser och program",
                    round_kr(programmes * share),
                    min(3, len(months)),
                    months,
                )
            )
            if year > 2018:
                items.append(
                    OtherCost(
                        year,
                        unit,
                        "6410",
                        f"Områdesteam {area}: utbildning",
                        round_kr(D(AREA_TRAINING) * share),
                        1,
                        months,
                    )
                )
                items.append(
                    OtherCost(
                        year,
                        unit,
                        "6530",
                        f"Områdesteam {area}: trycksaker",
                        round_kr(D(AREA_PRINT) * share),
                        1,
                        months,
                    )
                )
    return items


# --- Finance-system rows -------------------------------------------------------------


@dataclass(frozen=True)
class CostRow:
    """One booked row of the synthetic finance-system export."""

    date: datetime.date
    account: str
    unit: str
    text: str
    amount: Decimal
    activity: str
    voucher: str = ""
    counterparty: str = ""
    """Motpart: the other unit's responsibility code on an internal row."""


MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def payroll_rows(year: int) -> list[CostRow]:
    """Monthly salary, July holiday pay, employer's contributions and pensions."""
    rows: list[CostRow] = []
    po_rest = PO[year] - EMPLOYER_CONTRIBUTION / 100
    for month in range(1, 13):
        payday = datetime.date(year, month, 25)
        month_name = MONTHS_SV[month - 1]
        for position in POSITIONS:
            if not active_on(position, payday) or (year, month) in position.vacant:
                continue
            _, unit = holder_on(position, payday)
            salary = (salary_on(position, payday) * position.fte).quantize(D("0.01"))
            gross = salary
            rows.append(CostRow(payday, "5011", unit, f"Månadslön {month_name}", salary, "410"))
            if month == 7:
                holiday = (salary * HOLIDAY_SUPPLEMENT).quantize(D("0.01"), rounding=ROUND_HALF_UP)
                gross += holiday
                rows.append(
                    CostRow(payday, "5021", unit, f"Semesterlön {month_name}", holiday, "410")
                )
            contributions = (gross * EMPLOYER_CONTRIBUTION / 100).quantize(
                D("0.01"), rounding=ROUND_HALF_UP
            )
            pensions = (gross * po_rest).quantize(D("0.01"), rounding=ROUND_HALF_UP)
            rows.append(
                CostRow(
                    payday, "5611", unit, f"Arbetsgivaravgifter {month_name}", contributions, "410"
                )
            )
            rows.append(
                CostRow(payday, "5711", unit, f"Pensionskostnader {month_name}", pensions, "410")
            )
    return rows


def other_rows(year: int) -> list[CostRow]:
    """The year's other costs, each item split into rows with varied amounts."""
    rows: list[CostRow] = []
    for item in central_costs(year) + area_costs(year):
        parts = item.parts
        months = item.months
        base = item.amount / parts
        amounts = [
            vary(base, f"{year}|{item.unit}|{item.account}|{item.text}|{i}")
            for i in range(parts - 1)
        ]
        amounts.append(item.amount - sum(amounts, D(0)))
        for index, amount in enumerate(amounts):
            month = months[(index * len(months)) // parts]
            day = 3 + int(unit_hash(f"day|{year}|{item.unit}|{item.text}|{index}") * 24)
            rows.append(
                CostRow(
                    datetime.date(year, month, day),
                    item.account,
                    item.unit,
                    item.text,
                    amount,
                    "420",
                )
            )
    return rows


INCOME_ACTIVITY = "430"
TRAINING_SOLD = "Utbildning i CTC-modellen för andra organisationer"
INCOME: dict[int, list[tuple[str, str, str, str, str, str]]] = {
    2022: [
        ("2022-04-20", KS_TEAM_UNIT, "3510", TRAINING_SOLD, "-48000.00", ""),
        ("2022-10-12", KS_TEAM_UNIT, "3510", TRAINING_SOLD, "-36000.00", ""),
    ],
    2023: [
        ("2023-03-15", KS_TEAM_UNIT, "3510", TRAINING_SOLD, "-56000.00", ""),
        ("2023-09-20", KS_TEAM_UNIT, "3510", TRAINING_SOLD, "-40000.00", ""),
        (
            "2023-11-08",
            KS_ANALYSIS_UNIT,
            "3010",
            "Bidrag från länsstyrelsen till analys av CTC-enkäten",
            "-120000.00",
            "",
        ),
        (
            "2023-05-17",
            "610020",
            "7690",
            "Utbildning i insatsprogram, köpt av stadskontoret",
            "36000.00",
            KS_TEAM_UNIT,
        ),
        (
            "2023-05-17",
            KS_TEAM_UNIT,
            "3590",
            "Utbildning i insatsprogram för kulturförvaltningen",
            "-36000.00",
            "610020",
        ),
    ],
}
"""Income and internal items (synthetic): the central team's training sold to other
organisations (3510), a grant (3010), and one internal purchase with its sale: the area team
at Möllevången (KuN) buys a training day from the central team at KS (7690 and 3590, each
with the other unit as Motpart). Income is a credit, so negative."""


def income_rows(year: int) -> list[CostRow]:
    """The year's income and internal rows, as the finance system books them."""
    return [
        CostRow(_date(day), account, unit, text, D(amount), INCOME_ACTIVITY, "", counterparty)
        for day, unit, account, text, amount, counterparty in INCOME.get(year, [])
    ]


def cost_rows(year: int) -> list[CostRow]:
    """All rows of one year's export, dated and numbered like vouchers."""
    rows = sorted(
        payroll_rows(year) + other_rows(year) + income_rows(year),
        key=lambda r: (r.date, r.unit, r.account, r.text, r.amount),
    )
    return [
        CostRow(
            r.date,
            r.account,
            r.unit,
            r.text,
            r.amount,
            r.activity,
            f"V{year}{index:05d}",
            r.counterparty,
        )
        for index, r in enumerate(rows, start=1)
    ]
