"""What tells one event: a month, a case, a ring or one person, rather than a year's count."""

from __future__ import annotations

import re

from tipfigures.extract.dates import MONTH_PATTERN
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.text_structure import TextStructure

# A news article opens on a dateline ("LAGOS, 12 March 2024 –", "KYIV (Reuters) -"): what it
# tells is one event, so its figures are details of a case unless they are a year's totals.
# In a news story, what makes a figure a year's count rather than a detail of the event:
NEWS_PERIOD = re.compile(r"\b(?:(?:19|20)[0-9]{2}|last[ \t]+year|this[ \t]+year|"
                         r"annual|a[ \t]+year|per[ \t]+year|during[ \t]+the[ \t]+year|"
                         r"the[ \t]+(?:previous|past|whole)[ \t]+year|year['’]s[ \t]+end|"
                         r"the[ \t]+year[ \t]+before|a[ \t]+year[ \t]+earlier)\b", re.I)
# "600 victims had been rescued since January": a count running through part of a year.
SINCE_MONTH = re.compile(
    rf"\bsince[ \t]+(?:early[ \t]+|late[ \t]+)?(?:{MONTH_PATTERN})\b(?![ \t]+[0-9]{{4}})")

# A month earlier in the sentence dates an event ("In South Kivu Province in June, NGOs
# identified 20 children"), but not a span ("from January to December 2022").
MONTH_BEFORE = re.compile(
    rf"\b(?:(?:[Ii]n|[Oo]n|[Dd]uring(?:[ \t]+(?:a|an|the))?)[ \t]+(?:early[ \t]+|late[ \t]+|mid-?)?"
    rf"(?:{MONTH_PATTERN})\b"
    rf"(?![ \t]*(?:[0-9]{{1,2}},?[ \t]+)?(?:[0-9]{{4}}[ \t]+)?(?:to|through|and|-|–)\b)"
    rf"|(?:{MONTH_PATTERN})[ \t]+[0-9]{{1,2}}\b(?![ \t]*(?:to|through|and|-|–)\b))")

# A sentence that opens on a month dates one event, not a year's count.
MONTH_OPENING = re.compile(
    rf"\s*(?:In|On|During|By|Since|From|Late|Early|In\s+(?:early|late|mid-?))\s+"
    rf"(?:{MONTH_PATTERN})\b")

# "an international sex trafficking syndicate which was responsible for trafficking 130 women":
# a singular organisation or person, then a relative clause, tells one case.
CASE_SUBJECT = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|[0-9]{1,2})[ \t]+"
    r"(?:[a-z-]+[ \t]+){0,4}(?:syndicate|ring|network|gang|group|organi[sz]ation|company|"
    r"agency|trafficker|man|woman|couple|family|officials?|officers?|policemen|individuals|"
    r"men|women|suspects)[ \t,]+(?:which|who|that|whose)\b", re.I)

# "; separately, in a special operation, it returned 98 women": in the figure's clause
IN_ONE_CASE = re.compile(
    r"\b[Ii]n[ \t]+(?:a|an|one|another|a[ \t]+separate)[ \t]+(?:[\w-]+[ \t]+){0,3}?"
    r"(?:case|operation|raid|incident|rescue|crackdown|sting)\b")
# "In a 2023 case, ...", "In a joint operation in August 2023, ...": the whole sentence tells it
CASE_OPENING = re.compile(
    r"\s*(?:In|During|Through)[ \t]+(?:a|an|one|another|the[ \t]+same|a[ \t]+separate)[ \t]+"
    r"(?:[\w-]+[ \t]+){0,3}?(?:case|operation|raid|incident|rescue|crackdown|sting)s?\b")

ONE_PERSON_BEFORE = re.compile(r"\b(?:[Oo]ne|[Aa]n?)[ \t]+(?:[A-Za-z-]+[ \t]+){0,3}(?:officer|"
                               r"official|inspector|man|woman|trafficker|suspect|recruiter|owner|"
                               r"couple|judge|agent|employer|marabout|teacher|businessman|"
                               r"businesswoman|driver|soldier|proprietor|proprietress|trader|"
                               r"farmer|citizen|national|resident)\b")

DEFINITE_OPENING = re.compile(  # "The three were charged", "They were released"
    r"\s*(?:They|He|She|(?:The|These|Those)[ \t]+(?:[0-9]|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|suspects|victims|children|girls|boys|women|men)\b)")
YEAR = re.compile(r"\b(?:19|20)[0-9]{2}\b|\b(?:during|by|at)\s+(?:the\s+)?year")


def tells_an_event(text: str, figure: Figure, structure: TextStructure) -> bool:
    """A sentence that opens on a month, or names a case, a ring or one person."""
    cues = rules().structure
    sentence_start, _ = structure.sentence_span(figure.start)
    before = text[max(sentence_start, figure.start - 160):figure.start]
    return bool(MONTH_OPENING.match(text, sentence_start, figure.start) or
                CASE_OPENING.match(text, sentence_start, figure.start) or
                cues.case_cue.search(before) or CASE_SUBJECT.search(before) or
                ONE_PERSON_BEFORE.search(before))


def after_a_case(text: str, structure: TextStructure, sentence_start: int) -> bool:
    """"In one case, police raided a farm. Of the 36 victims, ...": the sentence before tells
    one case, which this one goes on with."""
    if sentence_start == 0:
        return False
    previous_start = structure.sentence_span(sentence_start - 1)[0]
    return rules().structure.case_cue.search(text, previous_start, sentence_start) is not None


def continues_an_event(text: str, structure: TextStructure, sentence_start: int,
                       sentence_end: int) -> bool:
    """"In May 2005 police arrested three members ... The three were formally charged": a
    sentence right after one that opens on a month goes on telling the same event, unless it
    names a year or the reporting period of its own."""
    paragraph = structure.paragraph_start(sentence_start)
    if sentence_start <= paragraph or not DEFINITE_OPENING.match(text, sentence_start):
        return False
    previous = structure.sentence_span(max(paragraph, sentence_start - 2))
    return MONTH_OPENING.match(text, previous[0], previous[1]) is not None and \
        YEAR.search(text, sentence_start, min(sentence_end, sentence_start + 400)) is None
