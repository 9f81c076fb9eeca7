"""A figure of the sentence being attached, and what every attachment step asks of one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tipfigures.extract.periods import YearMention, period_label
from tipfigures.extract.reading import unit_kind
from tipfigures.extract.results import Figure

# A parenthesis, or a pair of dashes that works as one ("46 traffickers—38 for sex trafficking,
# five for forced labor—compared with 39"), or one dash that opens a list to the end of the
# clause ("seven foreign victims—four from Bolivia and three from Brazil.").
PARENTHESIS = re.compile(r"\(([^()]*)\)|[—–]([^—–;]*)[—–]"
                         r"|[—–]([^—–;.()]*)(?=[.;](?:\s|$))")

# "215 victims, 176 of whom were children": the relative clause says who they are, not what
# was done to them (the verb after it, "..., and referred them", is the main clause's)
OF_WHOM_WERE = re.compile(r"[ \t]+of[ \t]+(?:whom|them|which|these|those)[ \t]+"
                          r"(?:were|was|are|is)[ \t]+(?!\w+ed\b)")

# "23 of the convicted", "five of these victims": the number counts some of a whole named by
# the noun after it. OF_THE_NOUN does not take "of the 31 ..." (a number of its own follows);
# OF_THE_NOUN_WERE takes the copula after the noun and its words ("six of the victims were
# children", "71 of the people we rescued were", "87 of the 2021 victims were", "587 of all
# victims were").
OF_THE_WORDS = r"[ \t]+of[ \t]+(?:the|these|those"
OF_THE = OF_THE_WORDS + r")[ \t]+[a-z]+"
OF_THE_COUNTED = re.compile(OF_THE + r"\b")
OF_THE_NOUN = re.compile(OF_THE + r"\b(?![ \t]+[0-9])")
OF_THE_NOUN_WERE = re.compile(
    OF_THE_WORDS + r"|all)[ \t]+(?:(?:19|20)[0-9]{2}[ \t]+)?[a-z]+(?:[ \t]+[a-z]+){0,2}"
    r"(?:[ \t]*\([^()]{0,30}\))?[ \t]+(?:were|was)[ \t]+(?!\w+ed\b)")


# words that name kinds of a count, not what it counts: "... and 52 other forms"
CATEGORY_UNITS = frozenset({"forms", "form", "types", "type", "kinds", "categories"})


@dataclass
class Attached:
    """A figure of the sentence being attached, with the fields this stage may change."""

    figure: Figure
    indicator: str
    period: str | None
    unit: str | None
    role: str = ""
    whole: Attached | Figure | None = None  # the figure this one is a part of
    breakdown: str | None = None
    country_code: str | None = None
    in_parenthesis: bool = False
    compared: bool = False  # in the compared part of a sentence ("compared with 61 in 2021")
    side_by_side: bool = False  # "75 cases of sex trafficking and 20 of labor trafficking"
    converts: Attached | None = None  # the amount this one gives in another currency
    stands_for: Attached | None = None  # in a comparison, the figure of the main clause
    compares: Figure | None = None  # in a comparison, the headline of the sentence before

    @property
    def start(self) -> int:
        return self.figure.start

    @property
    def end(self) -> int:
        return self.figure.end


# the later stages of care, each a count of its own in the panel
VICTIM_STAGES = frozenset({"victims_referred", "victims_assisted", "victims_repatriated"})
# the indicators that count victims, each a count a later sentence can break down
VICTIM_COUNTS = VICTIM_STAGES | {"victims_identified"}
# what the keywords of a form of exploitation give a count that no verb names
FORM_INDICATORS = frozenset({"forced_labour", "sexual_exploitation"})


def headline(figure: Figure) -> bool:
    """A figure the next sentence's parts can be parts of: a count, not a share or a part."""
    return figure.role not in ("part", "other") and unit_kind(figure.unit) in ("persons", "count")


def year_label(mention: YearMention) -> str:
    return period_label(mention.first, mention.last)
