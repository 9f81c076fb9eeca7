"""The country-year panel (issue 10): what enters it, one value per key, nothing hidden."""

from __future__ import annotations

import pytest

from tipfigures.extract import extract
from tipfigures.sources import load_source, source_from_text_file
from tipfigures.tables import build_tables

from .conftest import SOURCES

# A paragraph in the style of a modern Trafficking in Persons narrative (issue 10's own).
TIP_PARAGRAPH = (
    "Police investigated 58 suspected trafficking cases (31 for sex trafficking, 18 for labor "
    "trafficking and nine for forced criminality) in 2022, compared with 61 cases investigated "
    "in 2021 and 47 in 2020. In 2022, authorities initiated prosecution of 27 sex trafficking "
    "cases involving 44 suspects and convicted 15 traffickers, compared with 11 traffickers "
    "prosecuted and eight convicted in 2021 and 14 cases prosecuted and six traffickers "
    "convicted in 2020.\n")


def _source(tmp_path, text: str, country: str = "PER", year: int = 2022, name: str = "tip"):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    (tmp_path / f"{name}.yaml").write_text(
        f"id: {name}\ntitle: A test text\ncountry_code: {country}\nreporting_period: {year}\n"
        "language: en\npublisher: Test\nurl: https://example.org/tip\nlicense: CC0-1.0\n"
        "retrieved: 2026-12-01\n", encoding="utf-8")
    return source_from_text_file(path)


def _panel(*sources) -> dict[tuple, float]:
    tables = build_tables([(s, extract(s.text, reporting_period=s.reporting_period,
                                       country_code=s.country_code)) for s in sources])
    return {(r["year"], r["indicator"], r["unit"], r["breakdown"]): r["value"]
            for r in tables["observations"]}, tables


def test_the_tip_paragraph_gives_each_year_its_own_totals(tmp_path):
    panel, _ = _panel(_source(tmp_path, TIP_PARAGRAPH))
    assert panel == {
        (2022, "investigations", "cases", "total"): 58,
        (2021, "investigations", "cases", "total"): 61,
        (2020, "investigations", "cases", "total"): 47,
        (2022, "investigations", "cases", "form=sex_trafficking"): 31,
        (2022, "investigations", "cases", "form=forced_labour"): 18,
        (2022, "investigations", "cases", "form=other"): 9,
        (2022, "prosecutions", "cases", "total"): 27,
        (2022, "prosecutions", "persons", "total"): 44,
        (2021, "prosecutions", "persons", "total"): 11,
        (2020, "prosecutions", "cases", "total"): 14,
        (2022, "convictions", "persons", "total"): 15,
        (2021, "convictions", "persons", "total"): 8,
        (2020, "convictions", "persons", "total"): 6,
    }


def test_the_parts_of_a_figure_point_at_it(tmp_path):
    _, tables = _panel(_source(tmp_path, TIP_PARAGRAPH))
    figures = {row["text"]: row for row in tables["figures"]}
    whole = figures["58"]["figure_id"]
    assert [figures[t]["part_of"] for t in ("31", "18", "nine")] == [whole] * 3
    assert [figures[t]["role"] for t in ("58", "31", "61", "44")] == [
        "total", "part", "total", "total"]
    assert figures["31"]["value"] + figures["18"]["value"] + figures["nine"]["value"] == 58


def test_russia_2009_reads_as_the_report_states_it():
    source = load_source(SOURCES / "wikipedia-human-trafficking-in-russia")
    panel, _ = _panel(source)
    for_years = {key: value for key, value in panel.items() if key[0] in (2008, 2009)}
    assert for_years == {
        (2009, "investigations", "cases", "total"): 102,
        (2009, "prosecutions", "persons", "total"): 99,
        (2009, "convictions", "persons", "total"): 76,
        (2009, "victims_assisted", "persons", "total"): 143,
        (2009, "victims_referred", "persons", "total"): 12,
        (2008, "victims_referred", "persons", "total"): 56,
    }


@pytest.mark.parametrize(("sentence", "role"), [
    ("In 2021, a court sentenced one senior officer to 10 years' imprisonment.", "case"),
    ("An estimated 20,000 children are trafficked annually.", "estimate"),
    ("The penal code prescribes penalties of up to 15 years' imprisonment.", "other"),
    ("At the end of 2021, 32 cases remained pending.", "other"),
    ("In 2021, police arrested three members of a ring that exploited girls.", "case"),
    ("In 2021 the government identified 253 victims.", "total"),
])
def test_roles_follow_the_figures_clause(tmp_path, sentence, role):
    source = _source(tmp_path, sentence + "\n", year=2021)
    figures = extract(source.text, reporting_period=2021, country_code="PER").figures
    assert figures[0].role == role


def test_a_figure_about_another_country_says_so(tmp_path):
    text = "In 2006, 8,000 Russian women were in sexual exploitation in the United States.\n"
    figures = extract(text, reporting_period=2006, country_code="RUS").figures
    assert figures[0].country_code == "USA"


def test_citation_markers_are_not_figures():
    text = "Police arrested 12 suspects in 2019.[5][6] Courts convicted four.[citation needed]\n"
    figures = extract(text, reporting_period=2019, country_code="ARG").figures
    assert [f.text for f in figures] == ["12", "four"]


def test_the_later_report_wins_and_the_conflict_stays_visible(tmp_path):
    early = _source(tmp_path, "In 2021, police investigated 61 cases.\n", year=2021,
                    name="early")
    late = _source(tmp_path, "Police investigated 58 cases in 2022, compared with 63 cases "
                             "in 2021.\n", year=2022, name="late")
    _, tables = _panel(early, late)
    rows = {(r["year"], r["indicator"]): r for r in tables["observations"]}
    assert rows[(2021, "investigations")]["value"] == 63
    assert rows[(2021, "investigations")]["conflict"] is True
    assert rows[(2021, "investigations")]["source_count"] == 2
    assert rows[(2022, "investigations")]["conflict"] is False
    decisions = {(r["source_id"], r["value"]): r["decision"]
                 for r in tables["observation_candidates"] if r["year"] == 2021}
    assert decisions == {("late", 63): "selected", ("early", 61): "superseded"}


def test_the_panel_key_is_unique_over_the_bundled_sources():
    sources = [load_source(path) for path in sorted(SOURCES.iterdir()) if path.is_dir()]
    _, tables = _panel(*sources)
    keys = [(r["country_code"], r["year"], r["indicator"], r["unit"], r["breakdown"])
            for r in tables["observations"]]
    assert keys and len(keys) == len(set(keys))
    figures = {row["figure_id"]: row for row in tables["figures"]}
    for row in tables["observations"]:
        assert figures[row["figure_id"]]["role"] in ("total", "part")
        assert figures[row["figure_id"]]["unit"] != "percent"


def _figures(text: str, year: int = 2022, country: str = "PER") -> dict[str, object]:
    return {f.text: f for f in extract(text, reporting_period=year, country_code=country).figures}


@pytest.mark.parametrize(("phrase", "breakdown"), [
    ("80 women and girls", "sex=female"),
    ("25 men and boys", "sex=male"),
    ("30 boys and girls", "age=child"),
    ("40 women and children", None),
    ("15 children whose sex was not recorded", "age=child"),
])
def test_a_pair_of_nouns_is_a_part_by_what_they_share(phrase, breakdown):
    figures = _figures(f"Police identified 300 victims in 2022, including {phrase}.\n")
    assert figures[phrase.split()[0]].breakdown == breakdown


@pytest.mark.parametrize(("sentence", "surface", "role"), [
    ("In 2021 one border officer was dismissed for letting two suspects escape.", "two", "case"),
    ("A 2020 survey found that 23 percent of returning migrants had been in forced labor.", "23",
     "estimate"),
    ("Courts convicted 40 traffickers, 55 percent of them for sex trafficking.", "55", "other"),
])
def test_roles_of_figures_of_no_panel_indicator(sentence, surface, role):
    assert _figures(sentence + "\n", year=2021)[surface].role == role


@pytest.mark.parametrize("sentence", [
    "Among the 12,000 irregular migrants intercepted, there were 900 women and 700 minors.",
    "The Director of the Investigation and Prosecution Service said 25,000 Nepali women worked "
    "in the Gulf.",
    "Of these, four were released and five were charged with the abduction of minors.",
    "As many as 6,000 children abducted by the rebels were still held in the north.",
    "In one case involving three girls taken to Gabon, police made no arrests.",
    "Police registered 58 cases of trafficked children during the first six months of 2022.",
    "The unit has secured 14 convictions in the six years of its existence.",
    "Since its creation, approximately 450 abductees have been returned to their homes.",
    "In 2022 courts ordered traffickers to pay $95,000 in compensation to their victims.",
    "Thirty cases were still before the courts at the end of 2022.",
    "The national action plan for 2022-2024 had a budget of 90 million tenge.",
    "In 2022 the ministry provided 40,000 rupees to each returned victim.",
    "In 2022 police separately investigated 31 cases of migrant smuggling.",
    "By the end of 2022, the mobile teams had rescued more than 61,000 workers.",
    "In 2022 police apprehended a Togolese marabout suspected of trafficking 12 children (eight "
    "Togolese and four Beninese).",
    "Several investigations continued, including two cases involving adults caught at the border.",
])
def test_sentences_that_state_no_national_total_give_no_panel_row(tmp_path, sentence):
    panel, _ = _panel(_source(tmp_path, sentence + "\n", country="NER", year=2022))
    assert panel == {}


def test_a_part_in_other_units_than_its_whole_is_not_a_total(tmp_path):
    panel, _ = _panel(_source(tmp_path, "Police recorded 210 cases of child abduction in 2022. "
                              "Of these, 57 children were recovered.\n", country="UGA"))
    assert panel == {(2022, "investigations", "cases", "total"): 210}


def test_children_are_a_part_by_age_only_where_all_ages_are_counted_too(tmp_path):
    both, _ = _panel(_source(tmp_path, "Police identified 312 victims in 2022. Judges referred "
                             "140 victims to shelters, and courts referred 96 child victims to "
                             "foster care.\n", country="GTM"))
    assert both[(2022, "victims_referred", "persons", "age=child")] == 96
    only, _ = _panel(_source(tmp_path, "In 2022 the army demobilized 2,100 child soldiers.\n",
                             country="COD", name="only"))
    assert only == {(2022, "victims_identified", "persons", "total"): 2100}


def test_a_news_story_that_names_its_year_was_written_after_it(tmp_path):
    story = ("Courts convict 90 traffickers in 2023\n\nRABAT, March 12 (Reuters) - Courts "
             "convicted 90 people of trafficking last year, up from 71 in 2022, prosecutors "
             "said. The government has allocated 12 million dirhams this year to new shelters.\n")
    panel, _ = _panel(_source(tmp_path, story, country="MAR", year=2023))
    assert panel[(2023, "convictions", "persons", "total")] == 90
    assert panel[(2022, "convictions", "persons", "total")] == 71
    assert panel[(2024, "funding", "MAD", "total")] == 12_000_000
    raid = ("MOMBASA, Aug 18 (Reuters) - Police rescued 40 women on Saturday. Police opened 214 "
            "investigations last year, officials said.\n")
    panel, _ = _panel(_source(tmp_path, raid, country="KEN", year=2024, name="raid"))
    assert panel == {(2023, "investigations", "cases", "total"): 214}


def test_a_range_of_years_after_a_verb_that_is_not_a_change():
    figures = _figures("The law punishes reducing a person to slavery with two to eight years "
                       "of imprisonment, rising to 20 to 30 years when the victim is a child.\n")
    assert [(f.value, f.value_max) for f in figures.values()] == [(2, 8), (20, 30)]


def test_brackets_inside_dashes_break_down_the_parts_and_lower_than_compares(tmp_path):
    text = ("The government reported identifying 1,150 victims – 610 sex trafficking victims "
            "(400 women, 30 men, 120 girls and 60 boys) and 540 labor trafficking victims (100 "
            "men and 440 women) – lower than the 1,700 victims identified the previous year.\n")
    panel, tables = _panel(_source(tmp_path, text, country="PHL"))
    assert panel == {
        (2022, "victims_identified", "persons", "total"): 1150,
        (2022, "victims_identified", "persons", "form=sex_trafficking"): 610,
        (2022, "victims_identified", "persons", "form=forced_labour"): 540,
        (2021, "victims_identified", "persons", "total"): 1700,
    }
    figures = {row["text"]: row for row in tables["figures"]}
    assert figures["400"]["part_of"] == figures["610"]["figure_id"]


def test_counts_side_by_side_each_of_its_own_form_are_parts_of_an_unstated_total(tmp_path):
    panel, _ = _panel(_source(tmp_path, (
        "In 2022, police investigated 75 cases of sex trafficking and 20 cases of labor "
        "trafficking, compared with 68 and 11, respectively, in 2021. Prosecutors charged 27 "
        "sex trafficking cases involving 44 suspects.\n"), country="COL"))
    assert panel == {
        (2022, "investigations", "cases", "form=sex_trafficking"): 75,
        (2022, "investigations", "cases", "form=forced_labour"): 20,
        (2021, "investigations", "cases", "form=sex_trafficking"): 68,
        (2021, "investigations", "cases", "form=forced_labour"): 11,
        (2022, "prosecutions", "cases", "total"): 27,  # one form alone: the text's total
        (2022, "prosecutions", "persons", "total"): 44,
    }


def test_money_spent_is_funding_and_its_conversion_is_not_counted_again(tmp_path):
    panel, _ = _panel(_source(tmp_path, (
        "The anti-trafficking unit reported spending 450,000 cedis ($74,000) on victim "
        "protection in 2021, a decrease from 520,000 cedis ($86,000) in 2020.\n"),
        country="GHA", year=2021))
    assert panel == {(2021, "funding", "GHS", "total"): 450000,
                     (2020, "funding", "GHS", "total"): 520000}


def test_series_brackets_coordinated_counts_and_differences_in_web_prose(tmp_path):
    panel, _ = _panel(_source(tmp_path, (
        "In 2019 there were 45 convictions for trafficking (2018: 38).[4] Police recorded 1,200 "
        "trafficking offences in 2019, 1,350 in 2020 and 1,100 in 2021.[5] There were 14 "
        "prosecutions and nine convictions in 2021.[7] A total of 56 suspects were arrested in "
        "2021, an increase of 12 over the previous year.[8]\n"), country="HRV", year=2022))
    assert panel == {
        (2019, "convictions", "persons", "total"): 45,
        (2018, "convictions", "persons", "total"): 38,
        (2019, "investigations", "cases", "total"): 1200,
        (2020, "investigations", "cases", "total"): 1350,
        (2021, "investigations", "cases", "total"): 1100,
        (2021, "prosecutions", "cases", "total"): 14,
        (2021, "convictions", "persons", "total"): 9,
        (2021, "arrests", "persons", "total"): 56,
    }


def test_own_nationals_brought_back_are_a_part_where_the_foreign_ones_sent_home_are_counted():
    both = _figures("The Ministry of Foreign Affairs facilitated the repatriation of 214 Ugandan "
                    "victims from Saudi Arabia, and the government returned 61 foreign victims "
                    "to Kenya.\n", country="UGA", year=2020)
    assert (both["214"].role, both["214"].breakdown) == ("part", None)
    alone = _figures("The Ministry of Foreign Affairs repatriated 73 Honduran victims "
                     "identified abroad.\n", country="HND", year=2012)
    assert alone["73"].role == "total"


def test_a_table_row_restated_in_prose_is_broken_down_after_a_semicolon():
    figures = _figures("Year\tInvestigations\tSuspects prosecuted\n2021\t10\t6\n2022\t16\t11\n\n"
                       "In 2022, the 16 investigations involved 27 suspects; nine concerned sex "
                       "trafficking and five forced labor.\n", country="NAM", year=2022)
    restated = figures["16"]
    assert restated.role == "total"
    assert [(figures[t].unit, figures[t].breakdown) for t in ("nine", "five")] == [
        (restated.unit, "form=sex_trafficking"), (restated.unit, "form=forced_labour")]


def test_a_lone_count_of_women_is_the_total_unless_others_are_counted_too():
    lone = _figures("The government repatriated 58 Malagasy women from the Middle East; another "
                    "130 women returned on their own.\n", country="MDG", year=2016)
    assert (lone["58"].role, lone["130"].role) == ("total", "other")
    both = _figures("Police arrested three women and one man for trafficking.\n",
                    country="MLI", year=2004)
    assert [(both[t].role, both[t].breakdown) for t in ("three", "one")] == [
        ("part", "sex=female"), ("part", "sex=male")]


def test_one_in_a_list_of_forms_or_nationalities_is_a_figure_and_a_count_takes_its_apposition():
    text = ("Courts convicted two traffickers, one for child sex trafficking and one for labor "
            "trafficking. Of the victims, two were Guatemalans, one Nicaraguan and one "
            "Honduran. The government repatriated six of the seven Bangladeshi victims.\n")
    found = extract(text, reporting_period=2023, country_code="MUS").figures
    two = next(f for f in found if f.text == "two")
    ones = [f for f in found if f.text == "one"]
    assert [(f.part_of, f.breakdown) for f in ones[:2]] == [
        (two.start, "form=sex_trafficking"), (two.start, "form=forced_labour")]
    assert len(ones) == 4 and any(f.text == "seven" for f in found)


def test_the_laws_penalties_go_on_in_a_second_clause_but_a_sentence_is_no_penalty():
    figures = _figures("The law prescribed penalties of two to five years' imprisonment for "
                       "offenses involving adults, and five to 10 years' imprisonment for "
                       "offenses involving children. Two traffickers received fines of $2,000 "
                       "each and suspended prison terms of three years.\n", country="MDG",
                       year=2016)
    assert (figures["five to 10"].indicator, figures["five to 10"].period) == ("penalty", None)
    assert figures["three"].indicator != "penalty"


def test_of_the_n_foreign_victims_opening_a_clause_lists_their_countries():
    text = ("Authorities identified 19 victims in 2017. Only two were Panamanian; of the 17 "
            "foreign victims, 11 were from Colombia, three from Venezuela, and one from "
            "China. The government allocated 150,000 balboas to the fund in 2017.\n")
    found = extract(text, reporting_period=2017, country_code="PAN").figures
    by_text = {f.text: f for f in found}
    foreign = by_text["17"]
    assert (foreign.part_of, foreign.breakdown) == (by_text["19"].start, "nationality=foreign")
    assert [(f.part_of, f.breakdown) for f in found if f.text in ("11", "three", "one")] == [
        (foreign.start, "nationality=COL"), (foreign.start, "nationality=VEN"),
        (foreign.start, "nationality=CHN")]
    assert by_text["150,000"].unit == "PAB"


def test_a_duration_and_a_number_after_it_are_no_range_without_between():
    figures = _figures("Courts convicted nine traffickers; four received sentences of less than "
                       "one year and five received sentences of between two and six years.\n",
                       country="MDA", year=2016)
    assert "one year and five" not in figures
    assert (figures["one"].value_max, figures["five"].value_max,
            figures["two and six"].value_max) == (None, None, 6)


def test_an_amount_spent_of_a_budget_is_a_share_not_the_years_funding(tmp_path):
    text = ("The commission spent 95,000 leva ($52,000) of its budget on shelters. The "
            "commission received 410,000 leva ($227,000) from the state budget in 2016.\n")
    panel, _ = _panel(_source(tmp_path, text, country="BGR", year=2016))
    assert panel[(2016, "funding", "BGN", "total")] == 410_000


@pytest.mark.parametrize("text", [
    "The government repatriated 48 foreign victims, compared with 63 in 2014.\n",
    "The government repatriated 48 foreign victims and brought back 95 Lebanese victims from "
    "abroad.\n",
])
def test_foreign_victims_sent_home_are_the_total_and_own_nationals_brought_back_a_part(text):
    # (docs/gold-format.md: "Where the text counts the foreign ones, its count of own nationals
    # returned is a part with no breakdown")
    figures = _figures(text, country="LBN", year=2015)
    assert (figures["48"].role, figures["48"].breakdown) == ("total", None)
    if "95" in figures:
        assert (figures["95"].role, figures["95"].breakdown) == ("part", None)


def test_others_after_a_count_of_victims_are_people():
    figures = _figures("Officials identified 61 victims. At least 35 victims had been exploited in "
                       "sex trafficking; 19 others were exploited in forced labour.\n",
                       country="ALB", year=2018)
    assert (figures["19"].unit, figures["19"].role != "estimate") == ("persons", True)


def test_people_who_reached_a_country_are_a_population():
    figures = _figures("Some 10,500 Nigerian women and girls reached Italy by sea in 2016.\n",
                       country="NGA", year=2020)
    assert figures["10,500"].role != "total"
