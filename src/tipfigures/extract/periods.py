"""The period of a figure: the year(s) it refers to, from the years and phrases around it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from text_to_num import text2num

from tipfigures.extract.dates import MONTH_LITERALS, DateMention
from tipfigures.extract.genre import Genre, written_after_its_year
from tipfigures.extract.rules import rules
from tipfigures.extract.sentences import RECURRING, RELATIVE_CLAUSE, SentenceFacts
from tipfigures.extract.stretches import finditer_in, stretches_around
from tipfigures.text_structure import TOKEN

YEAR_RANGE_LINK = re.compile(r"^\s*(?:-|–|—|to|and|through|until|till|thru)\s*$", re.I)
# ("opened 4 investigations in 2023, against 1 in 2022": after a comma, "against" compares)
COMPARISON_BEFORE = re.compile(r"(?:\b(?:compared\s+(?:with|to)|from|than|versus|vs\.?)|"
                               r",\s+against)\s+"
                               r"(?:[^\s,;]+\s+){0,6}$", re.I)  # "compared with 44 in 2014 and 29"
ATTRIBUTION = re.compile(r",[^,;]*\b(?:released|published|announced|said|told|stated)"
                         r"(?:[ \t]+[A-Za-z'’]+){0,6}[ \t]+(?:in|on)[ \t]+$")
NEXT_CLAUSE = re.compile(r",[ \t]+(?:and|but|while|whereas)[ \t]")
COMPLEMENT_CLAUSE = re.compile(r"\bthat\s+(?:a|an|the|this|these|those|he|she|it|they|[A-Z])\b")
PAST_YEARS = re.compile(r"(?=[DdIiOoFfWw])\b(?:during|in|over|for|within)\s+the\s+"
                        r"(?:(?:past|last|previous|first)\s+)?"
                        r"(?P<count>[0-9]{1,2}|two|three|four|five|six|seven|eight|nine|ten|"
                        r"eleven|twelve|fifteen|twenty|thirty)\s+years\b", re.I)
FISCAL_RANGE = re.compile(  # "FY 2020/21", "fiscal year 2019-2020", "the 2012/13 fiscal year"
    r"(?:(?=[Ff])\b(?:FY|[Ff]iscal[ \t]+[Yy]ear)(?:[ \t]*\(FY\))?[ \t]*"
    r"(?P<first>(?:19|20)[0-9]{2})[ \t]*[/–-][ \t]*(?P<last>[0-9]{2}|(?:19|20)[0-9]{2})\b"
    r"|\b(?P<first_before>(?:19|20)[0-9]{2})[ \t]*/[ \t]*"
    r"(?P<last_before>[0-9]{2}|(?:19|20)[0-9]{2})[ \t]+(?:fiscal|financial|budget)[ \t]+year\b)")
PREVIOUS_YEAR = re.compile(r"(?=[TtAaOo])\b(?:the\s+(?:previous|prior|preceding)\s+"
                           r"(?:year|reporting\s+period)|the\s+year\s+(?:before|prior)|"
                           r"(?:a|one)\s+year\s+(?:earlier|before))\b", re.I)
FOLLOWING_YEAR = re.compile(r"(?=[TtAa])\b(?:[Tt]he\s+(?:following|next|subsequent)\s+year|"
                            r"[Aa]\s+year\s+later)\b")
SENTENCE_START = re.compile(r"(?:[.!?][\"'”’)]*[ \t]+|\n)$")
SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z])")
LAST_YEAR = re.compile(r"(?<![Tt]he )\b[Ll]ast[ \t]+year\b")  # not "in the last year": the past
# twelve months, the reporting period  # in a news story: genre.written_after_its_year
THIS_YEAR = re.compile(r"\b[Tt]his[ \t]+year\b(?!['’]s)")

# A month named without a year ("In July", "A December police report"): found by its name, then
# kept when a preposition or article stands before it ("May" alone is often the verb).
BARE_MONTH = re.compile(
    rf"(?P<month>{MONTH_LITERALS})\b(?![ \t]+(?:[0-9]|of[ \t]+[0-9]))")
BARE_MONTH_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Oo]n|[Ss]ince|[Dd]uring|[Bb]y|[Uu]ntil|[Tt]hrough|[Ff]rom|[Ee]arly|[Ll]ate|"
    r"[Mm]id-?|[Aa]|[Tt]he|and|[Ll]ast)[ \t]+$")


class YearWords:
    """Where a text says "year" or "period": every relative time phrase holds one of them
    ("the previous year", "during the past 20 years", "the previous reporting period"), so its
    pattern is run only around them (extract/stretches.py)."""

    BEFORE, AFTER = 70, 40  # characters: longer than any of the phrases on either side

    def __init__(self, text: str):
        self.text = text
        self.stretches = stretches_around(((m.start(), m.end()) for m in YEAR_WORD.finditer(text)),
                                          self.BEFORE, self.AFTER, len(text))

    def finditer(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return list(finditer_in(pattern, self.text, self.stretches))


YEAR_WORD = re.compile("year|Year|YEAR|period")


@dataclass
class YearMention:
    start: int
    end: int
    first: int
    last: int
    link: str  # the word before it: "in", "through", "since"...
    opens_sentence: bool = False  # "In 2009, ..." sets the time of what follows


def year_mentions(text: str, dates: list[DateMention], genre: Genre,
                   reporting_period: int | None) -> list[YearMention]:
    """Years usable as periods, joining "between 1999 and 2007" into one mention.

    In an annual report a month without a year ("In July", "On December 20") is in the
    reporting period.
    """
    mentions: list[YearMention] = []
    dated = [(d.start, d.end, d.year) for d in dates if not d.is_name]
    if reporting_period:
        taken = {d.start for d in dates}
        dated += [(m.start("month"), m.end("month"), reporting_period)
                  for m in BARE_MONTH.finditer(text) if m.start("month") not in taken
                  and BARE_MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start())]
        near_years = YearWords(text)  # the phrases below are looked for only around "year"
        for m in near_years.finditer(PAST_YEARS):  # "during the past 20 years" of a 2006 report
            count = m.group("count")
            years = int(count) if count.isdigit() else int(text2num(count.lower(), "en"))
            dated.append((m.start(), m.end(), (reporting_period - years, reporting_period)))
        fiscal = "FY" in text or "iscal" in text or "ancial year" in text or "get year" in text
        for m in FISCAL_RANGE.finditer(text) if fiscal else ():  # "FY 2020/21": two years
            last = int(m.group("last") or m.group("last_before"))
            first = int(m.group("first") or m.group("first_before"))
            last = last if last > 100 else first // 100 * 100 + last
            if first < last <= first + 1:
                dated = [item for item in dated if not m.start() <= item[0] < m.end()]
                dated.append((m.start(), m.end(), (first, last)))
        after = written_after_its_year(text, genre, reporting_period)
        last = reporting_period if after else reporting_period - 1
        for m in near_years.finditer(LAST_YEAR) if "ast year" in text else ():
            dated.append((m.start(), m.end(), (last, last)))
        for m in near_years.finditer(THIS_YEAR) if after and "his year" in text else ():
            dated.append((m.start(), m.end(), (reporting_period + 1, reporting_period + 1)))
        named = sorted((start, year) for start, _, year in dated if isinstance(year, int))
        for m in near_years.finditer(PREVIOUS_YEAR):  # "compared with 18 the previous year"
            year = reporting_period - 1
            if m.group(0).endswith(("year", "before", "earlier", "prior")):
                # "In 2019 police arrested 50, compared with 40 the previous year": 2018
                anchor = _year_named_before(text, named, m.start(), same_sentence=True)
                year = anchor - 1 if anchor else year
            dated.append((m.start(), m.end(), (year, year)))
        for m in near_years.finditer(FOLLOWING_YEAR):  # "in FY 2017. The following year saw"
            anchor = _year_named_before(text, named, m.start(), same_sentence=False)
            if anchor:
                dated.append((m.start(), m.end(), (anchor + 1, anchor + 1)))
        dated.sort(key=lambda item: item[0])
    for start, end, year in dated:
        if isinstance(year, tuple):
            word = TOKEN.findall(text, max(0, start - 12), start)
            opens = start == 0 or bool(SENTENCE_OPENING_TIME.search(
                text, max(0, start - 40), start) or text.startswith(("The ", "A "), start)
                and SENTENCE_START.search(text, max(0, start - 8), start))
            # "The following year saw 512 arrests" opens its sentence on its year
            mentions.append(YearMention(start, end, year[0], year[1], "during", opens))
            continue
        if year is None:
            year = reporting_period
            if year is None:
                continue
        d = DateMention(start, end, year, None, None, False, start)
        word = TOKEN.findall(text, max(0, d.start - 12), d.start)
        link = word[-1].lower() if word else ""
        if re.search(r"\bsince\b[^,;]{0,30}$", text[max(0, d.start - 40):d.start], re.I):
            link = "since"
        if mentions and YEAR_RANGE_LINK.match(text[mentions[-1].end:d.start]) \
                and mentions[-1].last < d.year:
            previous = mentions[-1]
            mentions[-1] = YearMention(previous.start, d.end, previous.first, d.year,
                                        previous.link)
            continue
        opens = (bool(SENTENCE_OPENING_TIME.search(text, max(0, d.start - 40), d.start)) or
                 d.start == 0) and not YEAR_OF_A_THING.match(text, d.end)
        mentions.append(YearMention(d.start, d.end, d.year, d.year, link, opens))
    return mentions


def _year_named_before(text: str, named: list[tuple[int, int]], offset: int,
                       same_sentence: bool) -> int | None:
    """The last year named before `offset`, in its sentence or else in its paragraph, that
    dates a count of its own: not the year of a compared count ("referred 143 victims,
    compared with 96 in 2020, and assisted 366, compared with 151 the previous year": 2021's
    previous year)."""
    index = bisect_left(named, (offset, 0)) - 1
    while index >= 0:
        start, year = named[index]
        between = text[start:offset]
        if "\n" in between or len(between) > 400 or (
                same_sentence and SENTENCE_BREAK.search(between)):
            return None
        clause = max(text.rfind(",", 0, start), text.rfind(";", 0, start), start - 60)
        bracketed = text.rfind("(", max(0, start - 400), start) > \
            text.rfind(")", max(0, start - 400), start)  # "(29 in 2017)"
        if rules().structure.comparison.search(text, clause, start) is None and not bracketed:
            return year
        index -= 1
    return None


def _clause(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """The figure's clause: from the comma or semicolon before it to the one after it."""
    before = max(text.rfind(",", sentence[0], start), text.rfind(";", sentence[0], start))
    after = [p for p in (text.find(",", end, sentence[1]), text.find(";", end, sentence[1]))
             if p >= 0]
    return (before + 1 if before >= 0 else sentence[0], min(after) if after else sentence[1])


def period_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}/{last}"


# "The 2014 trafficking law criminalized ...": a year that names a law dates no sentence after
# (but "A 2003 study ... Of the 459 respondents" dates the study's findings)
# "the 2007 anti-trafficking law", "The 2007 Trafficking in Persons Act": a year in a name
YEAR_OF_A_THING = re.compile(
    r"(?:[ \t]+[a-z-]+){0,3}?[ \t]+(?:law|act|code|constitution|agreement|memorandum|decree|"
    r"convention|protocol|amendments?|regulations?|statute|bill|ordinance)s?\b"
    r"|(?:[ \t]+(?:[A-Z][\w'’-]*|in|on|of|against|and|for|to|the)){0,7}?[ \t]+(?:Law|Act|Code|"
    r"Constitution|Agreement|Memorandum|Decree|Convention|Protocol|Amendments?|Regulations?|"
    r"Statute|Bill|Ordinance)s?\b")


SENTENCE_OPENING_TIME = re.compile(
    r"(?:^|[.!?:][\"'”’)]*\s+|\n)(?:(?:In|During|By|On|Since|From|Between|Throughout|At the end of|"
    r"Early in|Late in|In early|In late|In mid-?|A|An|The)\s+)(?:the\s+)?(?:[A-Z][a-z]+\.?\s+)?"
    r"(?:[0-9]{1,2},?\s+)?$")


def owned_by_other_number(text: str, mention: YearMention, start: int, sentence_start: int,
                           number_starts: list[int], number_ends: list[int]) -> bool:
    """A year that dates a compared figure: "compared with 113 in 2021", "from 467 the previous
    year", "75 proceedings in 2016 (99 in 2015), 62 defendants"."""
    opened = text.rfind("(", sentence_start, mention.start)
    if opened >= 0 and text.find(")", opened, mention.start) < 0 and not (
            opened < start < text.find(")", mention.end, mention.end + 200)):
        return True  # a year inside a parenthesis the figure is not in
    index = bisect_left(number_starts, mention.start) - 1
    if index > 0 and ")" in text[number_ends[index]:mention.start] and \
            text.rfind("(", number_ends[index - 1], number_starts[index]) >= 0:
        index -= 1  # "from 85 million FCFA ($153,400) in 2021": the amount converted
    return (index >= 0 and number_starts[index] != start and number_starts[index] >= sentence_start
            and 0 <= mention.start - number_ends[index] <= 50
            # (not past a semicolon: "compared with four in 2018; from 2017 through 2019,
            # courts convicted 15")
            and ";" not in text[number_ends[index]:mention.start]
            and COMPARISON_BEFORE.search(text, max(sentence_start, number_starts[index] - 40),
                                         number_starts[index]) is not None)


def period_of(text: str, start: int, end: int, sentence: tuple[int, int], paragraph_start: int,
            mentions: list[YearMention], mention_starts: list[int], number_starts: list[int],
            reporting_period: int | None, indicator: str,
            number_ends: list[int] | None = None, sentences: SentenceFacts | None = None,
            opener_indices: list[int] | None = None) -> str | None:
    """The year(s) a figure refers to: a year after it in its clause, else before it in its
    sentence, else "during the year", else the last year named earlier in its paragraph."""
    # Mentions are sorted by start; found by bisection, so that the work per figure does not
    # grow with the number of years its sentence names.
    low = bisect_left(mention_starts, sentence[0])
    high = bisect_left(mention_starts, sentence[1])
    here = bisect_right(mention_starts, start, low, high)  # mentions[low:here] start before it
    around = None
    i = here - 1
    while i >= low and mentions[i].start >= start - 300:  # a mention spans a few words at most
        if mentions[i].end >= end:
            around = mentions[i]  # the first one that holds the figure
        i -= 1
    if around:  # "during the past 20 years"
        return period_label(around.first, around.last)

    def before_figure(i: int):  # the mentions that end before the figure, from the last back
        while i >= low:
            if mentions[i].end <= start:
                yield mentions[i]
            i -= 1

    last_before = next(before_figure(here - 1), None)
    first_after = bisect_left(mention_starts, end, low, high)
    if first_after < high:
        m = mentions[first_after]
        next_number = bisect_left(number_starts, end)
        if next_number < len(number_starts) and not text[end:number_starts[next_number]].strip(
                " \t(" + "".join(rules().currency_symbols)):
            next_number += 1  # "94 million pesos ($1.69 million) in 2021": the same amount
        blocked = next_number < len(number_starts) and number_starts[next_number] < m.start
        gap = text[end:m.start] if m.start - end <= 160 else ""
        complement = COMPLEMENT_CLAUSE.search(gap)  # "one allegation that a ring ... in 2006"
        # "29 defendants, a large increase compared with none reported in 2020": that year
        # is the compared phrase's
        compared = rules().structure.comparison.search(gap) is not None
        # "The following year saw 512 arrests, and FY 2019 saw 640": the year after opens the
        # next clause when the sentence opened on its own year
        next_clause = last_before is not None and last_before.opens_sentence and \
            NEXT_CLAUSE.search(gap) is not None
        # "45 convictions (2018: 38)": a year inside a parenthesis opened after the figure
        # dates what the parenthesis says
        bracketed = gap.rfind("(") > gap.rfind(")")
        # "rescued 2,340 victims, according to figures released in January": the year after
        # dates the telling, not the count
        attributed = ATTRIBUTION.search(gap) is not None
        if not blocked and m.start - end <= 160 and ";" not in gap and not complement and \
                not compared and not next_clause and not bracketed and not attributed:
            if m.link == "since" and reporting_period:
                return period_label(m.first, reporting_period)
            if m.link in ("through", "until", "till", "to") and last_before:
                return period_label(last_before.first, m.last)
            return period_label(m.first, m.last)
    if (sentences.recurring(sentence) if sentences else RECURRING.search(text, *sentence)) \
            and RECURRING.search(text, *_clause(text, start, end, sentence)):
        # "brought in annually": a rate, not a period (but in "From 2018 to 2021 the police
        # recorded 412 offences, ranging from 87 to 124 a year" only the range is a rate)
        return None
    # a year right after another figure is that figure's: "a decrease from 467 the previous year"
    before = (m for m in before_figure(here - 1)
              if not owned_by_other_number(text, m, start, sentence[0], number_starts,
                                            number_ends))
    last = next(before, None)
    if last is not None:
        # the last year before the figure in its clause, else the last one opening a sentence,
        # else the last one
        m = last
        if text.find(";", last.start, start) >= 0 and not last.opens_sentence:
            if opener_indices is None:
                opener_indices = [i for i, m in enumerate(mentions) if m.opens_sentence]
            k = bisect_left(opener_indices, here) - 1
            while k >= 0 and opener_indices[k] >= low:
                o = mentions[opener_indices[k]]
                if o.end <= start and not owned_by_other_number(
                        text, o, start, sentence[0], number_starts, number_ends):
                    m = o
                    break
                k -= 1
        if m.link == "since" and reporting_period:
            return period_label(m.first, reporting_period)
        return period_label(m.first, m.last)
    if reporting_period and (sentences.reporting_period_applies(start, end, sentence)
                             if sentences else any(
            not RELATIVE_CLAUSE.search(text, end, m.start()) or m.end() <= start
            for m in rules().reporting_period.finditer(text, sentence[0], sentence[1]))):
        # "during the year", unless it sits in a clause about something else after the figure:
        # "arrested three members, who were in detention at year's end"
        return str(reporting_period)
    if opener_indices is None:
        opener_indices = [i for i, m in enumerate(mentions) if m.opens_sentence]
    opener = bisect_left(opener_indices, low) - 1  # the last year opening an earlier sentence
    if opener >= 0 and opener_indices[opener] >= bisect_left(mention_starts, paragraph_start) \
            and mentions[opener_indices[opener]].link != "since" and \
            not _another_year_told_since(text, mentions, opener_indices[opener], low):
        # "In March 2005, police arrested ... The three were charged ..." (but "Since 2013,
        # prosecutors have charged 29 defendants" opens a running count, not a year's story)
        earlier = mentions[opener_indices[opener]]
        return period_label(earlier.first, earlier.last)
    if reporting_period and (
            sentences.reporting_period_before(paragraph_start, sentence[0]) if sentences
            else rules().reporting_period.search(text, paragraph_start, sentence[0])):
        return str(reporting_period)
    return None


def _another_year_told_since(text: str, mentions: list[YearMention], opener: int,
                             low: int) -> bool:
    """"In 2021, the latest year with complete data, the center registered 1,116 victims.
    Preliminary figures showed 980 victims in 2022. The government provided €21.4 million":
    a later sentence named another year of its own (not a compared, bracketed or running
    year), so the opening year no longer dates the sentences that follow."""
    first = mentions[opener]
    for mention in mentions[opener + 1:low]:
        if mention.first == first.first or mention.opens_sentence or mention.link == "since" \
                or not SENTENCE_BREAK.search(text, first.end, mention.start):
            continue  # (a running count, or a year of the opening sentence itself)
        window = max(0, mention.start - 200)  # (bounded: a paragraph can be endless)
        bracketed = text.rfind("(", window, mention.start) > text.rfind(")", window,
                                                                         mention.start)
        if not bracketed and rules().structure.comparison.search(
                text, max(0, mention.start - 60), mention.start) is None:
            return True  # (not a compared year: "compared with 6,877 in 2015")
    return False
