"""What the extractor finds: figures, dated events and tier placements."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """A number that quantifies something, with the characters it came from."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str | None
    entity: str | None
    qualifier: str
    indicator: str
    period: str | None
    section: str | None
    sentence: str
    legal_reference: str | None
    method: str = "rule"
    role: str = ""  # total, part, case, estimate or other; "" until the roles stage decides
    part_of: int | None = None  # the start offset of the figure this one is a part of
    breakdown: str | None = None  # a part's dimension=value: "form=sex_trafficking"
    country_code: str | None = None  # the country it is about, when not the source's
    # the start offset of the figure this one is the earlier-year count of ("233 foreign
    # victims, up from 59 in 2017": 59 stands for 233's kind); not published
    compared_with: int | None = None


@dataclass(frozen=True)
class Event:
    """A dated statement: a year, a month or a day mentioned in the text."""

    start: int
    end: int
    text: str
    date: str
    date_precision: str  # year, month or day
    sentence: str


@dataclass(frozen=True)
class TierPlacement:
    """A country placed in a Trafficking in Persons report tier for a year."""

    start: int
    end: int
    text: str
    country_code: str | None
    year: int
    tier: str
    sentence: str


@dataclass(frozen=True)
class Extraction:
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tier_placements: list[TierPlacement] = field(default_factory=list)
