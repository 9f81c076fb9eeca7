"""Parts a sentence lists by ranking them or after a colon: places ranked ("Minas Gerais
accounted for 1,153 of the rescues, followed by Goiás with 402"), forms ranked ("Sexual
exploitation remained the main form, with 391 victims, followed by labour exploitation (87)"),
and a colon list after a comparison ("176 new victims in 2020, against 208 in 2019: 95 for
labour exploitation, ...")."""

from __future__ import annotations

import re

from tipfigures.extract.attachments.item import Attached
from tipfigures.extract.reading import unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules

# "Minas Gerais accounted for 1,153 of them, followed by Goiás with 402": the next of a ranking
FOLLOWED_BY = re.compile(r"[^;:()0-9]{0,40}?,?[ \t]+followed[ \t]+by[ \t]+(?:the[ \t]+)?"
                         r"[A-Z][\w'.-]*(?:[ \t]+[A-Z][\w'.-]*){0,3}"
                         r"(?:[ \t]+with[ \t]+(?:about[ \t]+)?|[ \t]*\()")
# "..., followed by Kano (80) and Abuja with 40": the ranking goes on
RANKING_GOES_ON = re.compile(r"\)?,?[ \t]+(?:and[ \t]+)?[A-Z][\w'.-]*(?:[ \t]+[A-Z][\w'.-]*){0,3}"
                             r"(?:[ \t]+with[ \t]+(?:about[ \t]+)?|[ \t]*\()")


def ranked_parts(text: str, items: list[Attached]) -> None:
    """"Minas Gerais accounted for 1,153 of the rescues, followed by Goiás with 402": the
    next place of a ranking is a part of the same whole as the one before it."""
    ranked = False
    for before, item in zip(items, items[1:], strict=False):
        link = FOLLOWED_BY if not ranked else RANKING_GOES_ON
        ranked = before.role == "part" and not item.role and item.whole is None and \
            link.fullmatch(text, before.end, item.start) is not None and \
            unit_kind(item.unit) in (unit_kind(before.unit), "none")
        if ranked:
            item.role, item.whole = "part", before.whole
            item.indicator, item.period = before.indicator, before.period
            item.unit = item.unit or before.unit


def forms_ranked(text: str, sentence: tuple[int, int], items: list[Attached],
                 earlier: Figure | None) -> None:
    """"Sexual exploitation remained the main form, with 391 victims, followed by labour
    exploitation (87) and forced begging (34)": each count of the ranking is a part, by its
    form, of the count the paragraph told before."""
    ranking = rules().structure.form_ranking.match(text, sentence[0], sentence[1])
    if ranking is None or earlier is None or unit_kind(earlier.unit) not in ("persons", "count"):
        return
    form = _form_named(ranking.group("subject"))
    previous_end = ranking.end()
    ranked: list[Attached] = []
    for item in items:
        if item.start < ranking.end():
            continue
        if form is None:
            form = _form_named(text[previous_end:item.start])
        # (a bracket after a form made it a part already: "followed by labour exploitation
        # (87)", of no whole or of the count before it in the ranking)
        told = item.role == "part" and (item.whole is None or item.whole in ranked)
        if form is None or (item.role or item.whole is not None) and not told or \
                unit_kind(item.unit) not in (unit_kind(earlier.unit), "none") or \
                item.figure.value >= earlier.value:
            return
        item.role, item.whole, item.breakdown = "part", earlier, form
        item.unit = item.unit or earlier.unit
        ranked.append(item)
        previous_end, form = item.end, None


def _form_named(phrase: str) -> str | None:
    """The form of exploitation a phrase names last ("followed by labour exploitation")."""
    found = [(match.start(), code) for code, pattern in rules().structure.breakdowns
             if code.startswith("form=") for match in pattern.finditer(phrase)]
    return max(found)[1] if found else None


# between a count and the colon of its list: "176 new victims in 2020, against 208 in 2019",
# "21 victims in 2021, after identifying none in 2020"
COMPARED_BEFORE_A_COLON = re.compile(r",[ \t]+(?:against|after[ \t]+[a-z]+ing)\b")


def a_colon_list_after_a_comparison(text: str, sentence: tuple[int, int],
                                    items: list[Attached]) -> None:
    """"began supporting 176 new victims in 2020, against 208 in 2019: 95 for labour
    exploitation, 61 for sexual exploitation and 20 for other forms": the list after the
    colon breaks down the main clause's count, of its year, not the compared one."""
    colon = _colon_outside_brackets(text, sentence)
    if colon < 0:
        return
    openers = list(rules().structure.comparison.finditer(text, sentence[0], colon)) + \
        list(COMPARED_BEFORE_A_COLON.finditer(text, sentence[0], colon))
    if not openers:
        return
    opened = max(found.start() for found in openers)
    main = next((item for item in reversed(items) if item.end <= opened and
                 not item.compared and not item.in_parenthesis and item.whole is None and
                 unit_kind(item.unit) in ("persons", "count")), None)
    if main is None:
        return
    stop = text.find(";", colon, sentence[1])
    for item in items:
        if item.start < colon or 0 <= stop < item.start or item.in_parenthesis or \
                unit_kind(item.unit) not in (unit_kind(main.unit), "none"):
            continue
        whole = item.whole
        untold = whole is None and item.period != main.period
        of_the_compared = whole is not None and whole is not main and whole.end <= colon and \
            (whole.compared or whole.period != main.period)
        if untold or of_the_compared:
            item.whole, item.role, item.period = main, "part", main.period


def _colon_outside_brackets(text: str, sentence: tuple[int, int]) -> int:
    """The sentence's first colon that no bracket holds ("(2019: 251)" holds its own)."""
    colon = text.find(":", sentence[0], sentence[1])
    while colon >= 0 and text.count("(", sentence[0], colon) > text.count(")", sentence[0], colon):
        colon = text.find(":", colon + 1, sentence[1])
    return colon
