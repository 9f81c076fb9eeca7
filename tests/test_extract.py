"""The extractor on the cases the dataset depends on, in report prose it was not fitted to."""

from __future__ import annotations

import importlib
import re

import pytest
import yaml

from tipfigures.extract import extract, read_value
from tipfigures.extract.rules import RULES_PATH
from tipfigures.extract.sentences import RECURRING, RECURRING_WORDS, REPORTING_PERIOD_WORDS
from tipfigures.text_structure import finditer_at_line_starts


def figures(text: str, **options):
    return {f.text: f for f in extract(text, **options).figures}


def only(text: str, **options):
    found = extract(text, **options).figures
    assert len(found) == 1, [f.text for f in found]
    return found[0]


@pytest.mark.parametrize(("text", "surface", "value", "value_max", "unit"), [
    ("Police conducted 102 trafficking investigations.", "102", 102, None, "investigations"),
    ("It provided funding amounting to approximately $3,732 for utilities.", "$3,732", 3732,
     None, "USD"),
    ("An estimated 20,000 men and women from North Korea work there.", "20,000", 20000, None,
     "persons"),
    ("They received sentences ranging from six months' to 13 years' imprisonment.",
     "six months' to 13 years'", 0.5, 13, "years"),
    ("Sentences ranged from between 2 and 11 years' imprisonment.", "2 and 11", 2, 11, "years"),
    ("Officials estimated that 30,000 to 35,000 children were exploited.", "30,000 to 35,000",
     30000, 35000, "persons"),
    ("The law prescribes 5–20 years in prison.", "5–20", 5, 20, "years"),
    ("Parents were paid 20,000 to 30,000 naira for each child.", "20,000 to 30,000", 20000,
     30000, "NGN"),
    ("It was one of eleven countries with such a policy.", "eleven", 11, None, "countries"),
    ("No group has had more than twenty members.", "twenty", 20, None, "persons"),
    ("An estimated 1.5 million people live in forced labour.", "1.5 million", 1_500_000, None,
     "persons"),
    ("Traffickers keep up to 85 percent of the wages.", "85", 85, None, "percent"),
    ("Nearly 40% of the victims were children.", "40%", 40, None, "percent"),
    ("The fine was 500,000 CFA francs.", "500,000", 500000, None, "XOF"),
    ("A fine of 10 thousand birr was imposed.", "10 thousand", 10000, None, "ETB"),
    ("The court ordered him to pay 2 million shillings.", "2 million", 2_000_000, None, "UGX"),
    ("Three of these victims were referred to the shelter.", "Three", 3, None, "persons"),
    ("He was sentenced to five years' imprisonment.", "five", 5, None, "years"),
    ("NAPTIP, a 200-employee agency, opened 15 shelters.", "200", 200, None, "persons"),
    ("The government allocated 3.4 billion soum to the center.", "3.4 billion", 3.4e9, None,
     "UZS"),
    ("Victims received 40,000 dram each.", "40,000", 40000, None, "AMD"),
    ("It spent 310,000 somoni on the plan.", "310,000", 310000, None, "TJS"),
    ("NGOs estimate that one in five children there is exploited.", "one in five", 20, None,
     "percent"),
    ("A survey found that 1 in 10 workers had been deceived.", "1 in 10", 10, None, "percent"),
    ("Victims came from Afghanistan (four) and Uzbekistan (one).", "one", 1, None, "persons"),
])
def test_values_units_and_spans(text, surface, value, value_max, unit):
    found = figures(text, country_code="UGA" if "shillings" in text else None)
    assert surface in found, list(found)
    figure = found[surface]
    assert text[figure.start:figure.end] == surface
    assert figure.value == pytest.approx(value)
    assert figure.value_max == (pytest.approx(value_max) if value_max is not None else None)
    assert figure.unit == unit


@pytest.mark.parametrize("text", [
    "Russia ratified the 2000 UN TIP Protocol in May 2004.",
    "The country was placed on Tier 3 in 2017.",
    "Article 127.1 of the Criminal Code applies, as do Articles 240 and 241.",
    "See section 1.g. and sections 1.b. and 2.d. of this report.",
    "The fourth victim was referred by a consulate official.",
    "No campaign preceded the 2014 Winter Olympics in Sochi.",
    "Two investigations were reported in the 2009 TIP Report.".replace("Two investigations",
                                                                       "Investigations"),
    "Decree 14/2003 created the committee on June 14.",
    "Dozens of workers and several hundreds of children were involved.",
    "One is the centralized policing system.",
    "He was stopped at the border between May 12 and 14.",
    "The trial was held on June 5-7 in the capital.",
])
def test_what_is_not_a_figure(text):
    assert extract(text).figures == [], [f.text for f in extract(text).figures]


@pytest.mark.parametrize(("text", "qualifier"), [
    ("An estimated 20,000 men were brought in.", "approximate"),
    ("Approximately 56 victims were referred.", "approximate"),
    ("About 300 children were rescued.", "approximate"),
    ("Some 5,000 children work in the mines.", "approximate"),
    ("Nearly 50 percent were minors.", "approximate"),
    ("UNICEF estimated that 40 percent of peddlers were victims.", "approximate"),
    ("Authorities referred at least 12 victims.", "at_least"),
    ("The groups had more than twenty members.", "more_than"),
    ("Over 1,000 people were displaced.", "more_than"),
    ("Fewer than 50 calls were received.", "less_than"),
    ("Punishments range up to 15 years' imprisonment.", "up_to"),
    ("As many as 300 girls were trafficked.", "up_to"),
    ("No more than 10 cases were tried.", "at_most"),
    ("Police arrested 18 suspects.", "exact"),
])
def test_qualifiers(text, qualifier):
    assert only(text).qualifier == qualifier


def test_period_prefers_the_year_of_the_figure_over_the_year_of_the_sentence():
    text = ("Government authorities referred at least 12 victims for assistance in 2009, "
            "compared with approximately 56 victims referred by authorities in 2008.")
    found = figures(text)
    assert found["12"].period == "2009"
    assert found["56"].period == "2008"


def test_period_from_a_leading_year_and_from_the_reporting_period():
    assert only("In 2009, police conducted 102 investigations.").period == "2009"
    text = "During the year the government prosecuted 17 defendants."
    assert only(text, reporting_period=2019).period == "2019"
    assert only(text).period is None


def test_period_from_a_month_without_year_in_an_annual_report():
    text = "In July police in Kabale District arrested two Indian nationals."
    assert only(text, reporting_period=2006).period == "2006"


def test_statutory_penalties_have_no_period():
    text = "In 2009, Article 127 prescribed punishments of up to five years' imprisonment."
    figure = only(text)
    assert figure.indicator == "penalty"
    assert figure.period is None
    assert figure.legal_reference == "Article 127"


@pytest.mark.parametrize(("text", "indicator"), [
    ("In 2019, police investigated 24 trafficking cases.", "investigations"),
    ("The government prosecuted 17 defendants in 2019.", "prosecutions"),
    ("Courts convicted 10 traffickers in 2019.", "convictions"),
    ("A trafficker was sentenced to eight years' imprisonment.", "sentence"),
    ("The government identified 350 victims in 2019.", "victims_identified"),
    ("NGOs assisted 143 victims of trafficking.", "victims_assisted"),
    ("Authorities referred at least 12 victims for assistance.", "victims_referred"),
    ("IOM repatriated 45 trafficking victims to their countries.", "victims_repatriated"),
    ("Police arrested 18 suspected traffickers.", "arrests"),
    ("The government allocated $50,000 to the shelter.", "funding"),
])
def test_indicators(text, indicator):
    assert only(text).indicator == indicator


def test_of_whom_counts_people_of_the_figure_before():
    text = "Police prosecuted 99 individuals, 76 of whom were convicted."
    found = figures(text)
    assert found["99"].indicator == "prosecutions"
    assert found["76"].indicator == "convictions"
    assert found["76"].unit == "persons"


def test_events_and_tier_placements():
    text = ("The State Department placed the country in Tier 3 in 2017. In November 2009, the "
            "shelter closed. On March 5, 2010, a victim fled.")
    extraction = extract(text, country_code="RUS")
    assert [(e.date, e.date_precision) for e in extraction.events] == [
        ("2017", "year"), ("2009-11", "month"), ("2010-03-05", "day")]
    assert [(t.country_code, t.year, t.tier) for t in extraction.tier_placements] == [
        ("RUS", 2017, "3")]
    assert extraction.figures == []


def test_sections_and_sentences():
    text = "= Title =\n\n==Prosecution==\n\n===Legislation===\nPolice opened 12 cases. Fine.\n"
    figure = only(text)
    assert figure.section == "Prosecution > Legislation"
    assert figure.sentence == "Police opened 12 cases."


def test_abbreviations_do_not_end_sentences():
    text = "The U.S. government gave $5,000 to St. Petersburg NGOs in 2009."
    assert only(text).sentence == text


@pytest.mark.parametrize(("quote", "values"), [
    ("$3,732", [3732]), ("six months' to 13 years'", [0.5, 13]), ("1.5 million", [1_500_000]),
    ("20 and 25 thousand", [20000, 25000]), ("Article", None),
    ("one-third", [33.33]), ("half", [50.0]), ("two-thirds", [66.67]), ("a quarter", [25.0]),
    ("three-fifths", [60.0]), ("four-thirds", None),
])
def test_read_value(quote, values):
    assert read_value(quote) == values


def test_entity_of_a_percentage_is_what_it_is_a_share_of():
    figure = only("The ILO estimated that 40 percent of child street peddlers were victims.")
    assert (figure.unit, figure.entity) == ("percent", "child street peddlers")


@pytest.mark.parametrize(("text", "indicator"), [
    ("An estimated 4.5 million nationals work abroad.", "other"),
    ("Awareness campaigns reached an estimated 60,000 people.", "other"),
    ("An estimated 20,000 children are trafficked each year.", "victims_estimated"),
    ("UNICEF estimated that 4,000 children had yet to be demobilized.", "victims_estimated"),
    ("An NGO estimated that 9,000 women were in forced prostitution abroad.",
     "sexual_exploitation"),
    ("Workers earned about $3 a day in the mines.", "other"),
    ("Police arrested a woman for trafficking four girls to Gabon.", "victims_identified"),
    ("In four out of 10 cases, the child came from a neighbouring country.", "other"),
    ("Recruiters charged each migrant fees worth $2,000.", "other"),
    ("The government allocated $40,000 to the shelter.", "funding"),
])
def test_estimates_and_money_say_what_they_count(text, indicator):
    assert extract(text + "\n", reporting_period=2020).figures[0].indicator == indicator


def test_a_rules_file_that_names_a_key_twice_is_refused(tmp_path, monkeypatch):
    """YAML keeps the last of two equal keys silently; the rules loader names the line."""
    rules_module = importlib.import_module("tipfigures.extract.rules")
    doubled = tmp_path / "extraction.yaml"
    doubled.write_text(rules_module.RULES_PATH.read_text(encoding="utf-8") +
                       '\ncurrency_symbols:\n  "$": USD\n', encoding="utf-8")
    monkeypatch.setattr(rules_module, "RULES_PATH", doubled)
    rules_module.rules.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"extraction\.yaml:\d+: 'currency_symbols' is given "
                                             r"twice"):
            rules_module.rules()
    finally:
        monkeypatch.undo()
        rules_module.rules.cache_clear()


def test_the_fast_tests_before_slow_patterns_let_every_phrase_through():
    """A word test guards some whole-sentence patterns: each of their phrases must hold one of
    its words, or a phrase added to the rules would silently never match."""
    phrases = yaml.safe_load(RULES_PATH.read_text("utf-8"))["reporting_period_phrases"]
    for phrase in phrases:
        assert any(word in phrase.lower() for word in REPORTING_PERIOD_WORDS), phrase
    for phrase in re.search(r"\(\?:(.*)\)", RECURRING.pattern).group(1).split("|"):
        assert any(word in phrase for word in RECURRING_WORDS), phrase


def test_a_pattern_of_line_starts_finds_at_line_starts_what_it_finds_anywhere():
    pattern = re.compile(r"(?m)^[ \t]*[*•-][ \t]+(?P<content>[^\n]+?)[ \t]*$")
    text = "* one\nnot * two\n  - three  \n\n• four\n*five\n- six"
    assert [m.span() for m in finditer_at_line_starts(pattern, text)] == \
        [m.span() for m in pattern.finditer(text)]
