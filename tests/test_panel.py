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


def test_a_part_by_form_keeps_the_indicator_of_its_whole():
    figures = _figures("Authorities identified 940 victims in 2022, including 610 children "
                       "exploited in forced begging and 75 women in sex trafficking.\n")
    assert [(figures[t].indicator, figures[t].breakdown) for t in ("610", "75")] == [
        ("victims_identified", "form=other"), ("victims_identified", "form=sex_trafficking")]


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


def test_a_breakdown_of_a_part_by_another_dimension_is_not_a_breakdown_of_the_total():
    figures = _figures("Officials identified 90 victims; of these, 52 were foreign nationals, "
                       "including 30 from Bolivia, and 38 were Peruvian, including 21 children."
                       "\n")
    assert figures["30"].breakdown == "nationality=BOL"  # refines the foreign part
    assert figures["21"].breakdown is None  # children among the Peruvians


def test_a_fiscal_year_after_a_same_count_pair_dates_both():
    figures = _figures("During the reporting period, the police investigated 90 cases. The "
                       "prosecutor's office charged 204 defendants in 131 cases in fiscal year "
                       "(FY) 2021/22, compared with 180 defendants in FY 2020/21.\n")
    assert [figures[t].period for t in ("204", "131", "180")] == [
        "2021/2022", "2021/2022", "2020/2021"]


def test_a_month_in_another_clause_does_not_make_the_years_count_an_event():
    figures = _figures("The ministry opened a second shelter in May 2022; its shelters "
                       "assisted 41 women during the year, compared with 33 in 2021.\n")
    # not an event; and the year's total, as no one but women is counted
    assert (figures["41"].role, figures["41"].period) == ("total", "2022")
    assert (figures["33"].role, figures["33"].period) == ("total", "2021")


def test_numbers_with_no_noun_of_their_own_after_a_headline_are_its_parts():
    figures = _figures("Officials identified 84 victims in 2022, up from 70 in 2021. Fifty were "
                       "victims of forced labor and 30 were victims of sex trafficking; 61 were "
                       "women. Victims came from nine countries, mainly Nepal (22) and Kenya "
                       "(14).\n", country="QAT")
    whole = figures["84"].start
    parts = {t: (figures[t].part_of, figures[t].indicator, figures[t].breakdown)
             for t in ("Fifty", "30", "61", "22", "14")}
    assert parts == {
        "Fifty": (whole, "victims_identified", "form=forced_labour"),
        "30": (whole, "victims_identified", "form=sex_trafficking"),
        "61": (whole, "victims_identified", "sex=female"),
        "22": (whole, "victims_identified", "nationality=NPL"),
        "14": (whole, "victims_identified", "nationality=KEN"),
    }


def test_a_bare_number_in_parentheses_is_the_same_count_of_the_year_compared():
    figures = _figures("Prosecutors opened 81 pre-trial proceedings in 2022 (90 in 2021), "
                       "indicted 40 defendants (52), and courts convicted 33 traffickers (29).\n")
    assert [(figures[t].indicator, figures[t].period) for t in ("81", "40", "52", "33", "29")] \
        == [("investigations", "2022"), ("prosecutions", "2022"), ("prosecutions", "2021"),
            ("convictions", "2022"), ("convictions", "2021")]


def test_compared_counts_named_by_their_own_nouns():
    figures = _figures("Police opened 70 investigations, prosecuted 41 suspects and convicted "
                       "19 traffickers, compared with 65 investigations, 38 prosecutions, and "
                       "12 convictions, respectively, in 2021.\n")
    assert [(figures[t].indicator, figures[t].period) for t in ("65", "38", "12")] == [
        ("investigations", "2021"), ("prosecutions", "2021"), ("convictions", "2021")]


def test_boys_or_girls_alone_are_no_one_breakdown():
    figures = _figures("Shelters assisted 210 victims in 2022, including 37 boys and 58 women.\n")
    assert (figures["37"].breakdown, figures["58"].breakdown) == (None, "sex=female")


def test_a_fine_a_court_imposed_is_not_a_penalty_in_law():
    figures = _figures("The law prescribes penalties of up to 10 years' imprisonment and a fine "
                       "of up to 50,000 pesos. A court sentenced a recruiter to six years' "
                       "imprisonment and fined him 20,000 pesos for exploiting two girls aged "
                       "15 to 16.\n", country="MEX")
    assert [figures[t].indicator for t in ("50,000", "20,000", "15 to 16")] == [
        "penalty", "other", "other"]
    assert figures["15 to 16"].entity == "age"


def test_a_part_of_the_next_amount():
    figures = _figures("The ministry allocated $90,000 to a shelter in the capital, part of the "
                       "approximately $300,000 it spent on victim care in 2022.\n")
    assert (figures["$90,000"].role, figures["$90,000"].part_of) == ("part",
                                                                    figures["$300,000"].start)
    assert figures["$300,000"].role == "total"


def test_parts_told_by_their_form_across_a_long_list():
    figures = _figures("Authorities identified 530 victims in 2022. Traffickers exploited 301 of "
                       "the victims in forced labor, most of them in fishing, and 164 in sex "
                       "trafficking.\n", country="THA")
    assert [(figures[t].part_of, figures[t].indicator, figures[t].breakdown)
            for t in ("301", "164")] == [
        (figures["530"].start, "victims_identified", "form=forced_labour"),
        (figures["530"].start, "victims_identified", "form=sex_trafficking")]


@pytest.mark.parametrize(("sentence", "surface", "role"), [
    ("In 2021 one border officer was dismissed for letting two suspects escape.", "two", "case"),
    ("A 2020 survey found that 23 percent of returning migrants had been in forced labor.", "23",
     "estimate"),
    ("Courts convicted 40 traffickers, 55 percent of them for sex trafficking.", "55", "other"),
])
def test_roles_of_figures_of_no_panel_indicator(sentence, surface, role):
    assert _figures(sentence + "\n", year=2021)[surface].role == role


def test_a_new_predicate_with_a_long_subject_ends_the_compared_part():
    figures = _figures("Courts convicted 12 traffickers, up from seven in 2021, and the Special "
                       "Prosecution Office against Organised Crime and Corruption prosecuted 19 "
                       "defendants.\n", country="ALB")
    assert (figures["19"].indicator, figures["19"].period) == ("prosecutions", "2022")
    assert (figures["seven"].indicator, figures["seven"].period) == ("convictions", "2021")


def test_a_clause_whose_subject_points_back_goes_on_telling_the_event():
    figures = _figures("According to March 9 press reports, a recruiter was arrested for "
                       "kidnapping; he was caught taking eight women and five men across the "
                       "border.\n", country="UGA")
    assert (figures["eight"].role, figures["five"].role) == ("case", "case")


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


def test_a_dash_opens_a_list_of_parts_and_a_list_goes_on_past_a_dash_pair():
    figures = _figures("Officials identified nine foreign victims—five from Bolivia and four "
                       "from Brazil. Authorities repatriated 61 victims, including 50 foreign "
                       "victims—41 of them Ethiopians—and 11 nationals returned from Oman.\n",
                       country="PRY")
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("five", "four")] == [
        (figures["nine"].start, "nationality=BOL"), (figures["nine"].start, "nationality=BRA")]
    assert figures["11"].part_of == figures["61"].start


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


def test_the_subject_of_made_up_or_accounted_for_is_the_breakdown():
    figures = _figures("Prosecutors opened 120 cases involving 230 suspects in 2022. Foreign "
                       "nationals made up 41 of the suspects. Authorities identified 400 victims "
                       "in 2022. Children accounted for 150 of the victims. All but two of the "
                       "convictions were for sex trafficking.\n", country="MAR")
    assert (figures["41"].part_of, figures["41"].breakdown) == (figures["230"].start,
                                                                "nationality=foreign")
    assert (figures["150"].part_of, figures["150"].breakdown) == (figures["400"].start,
                                                                  "age=child")
    assert figures["two"].role == "other"


def test_a_range_of_years_after_a_verb_that_is_not_a_change():
    figures = _figures("The law punishes reducing a person to slavery with two to eight years "
                       "of imprisonment, rising to 20 to 30 years when the victim is a child.\n")
    assert [(f.value, f.value_max) for f in figures.values()] == [(2, 8), (20, 30)]


def test_a_colon_and_of_all_open_lists_of_parts():
    figures = _figures("Police registered 900 cases in 2022. Of all registered cases, 610 "
                       "concerned sex trafficking and 290 forced labor. Courts convicted 80 "
                       "traffickers (95): 50 for forced labor, most of them in brick kilns, and "
                       "30 for sex trafficking. The government trained 700 police, prosecutors, "
                       "and judges in 2022 (650 in 2021).\n", country="PAK")
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("610", "290", "50", "30")] == [
        (figures["900"].start, "form=sex_trafficking"),
        (figures["900"].start, "form=forced_labour"),
        (figures["80"].start, "form=forced_labour"), (figures["80"].start, "form=sex_trafficking")]
    assert figures["650"].period == "2021"


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


def test_a_year_in_a_compared_phrase_does_not_date_the_figure_before_it():
    figures = _figures("The government investigated 17 potential cases of trafficking with 29 "
                       "defendants, a large increase compared with none reported in 2020.\n",
                       year=2021)
    assert (figures["17"].period, figures["29"].period) == ("2021", "2021")


def test_a_sentence_of_parts_keeps_the_paragraphs_headline_and_amounts_have_parts():
    figures = _figures("Police registered 1,400 trafficking cases in 2022. The federal agency "
                       "accounted for 120 of these cases; provincial police registered the "
                       "remainder, including 900 in Punjab. Of all registered cases, 1,000 "
                       "concerned sex trafficking and 400 forced labor. The ministry allocated 3.7 "
                       "million soms for victim protection, including 2.5 million soms for a "
                       "shelter and 1.2 million soms for repatriation.\n", country="KGZ")
    whole = figures["1,400"].start
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("1,000", "400")] == [
        (whole, "form=sex_trafficking"), (whole, "form=forced_labour")]
    money = figures["3.7 million"].start
    assert [figures[t].part_of for t in ("2.5 million", "1.2 million")] == [money, money]


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


def test_the_year_before_and_the_following_year_count_from_the_year_named():
    figures = _figures("In 2019, police arrested 50 suspects, compared with 40 the previous "
                       "year. The unit took 210 people into custody in FY 2017. The following "
                       "year saw 512 arrests, and FY 2019 saw 640. The government identified 12 "
                       "victims, compared with 37 in the previous reporting period.\n",
                       year=2021)
    assert [figures[t].period for t in ("50", "40", "210", "512", "640", "12", "37")] == [
        "2019", "2018", "2017", "2018", "2019", "2021", "2020"]


def test_a_change_with_a_degree_word_still_compares_and_last_year_is_no_unit():
    figures = _figures("Authorities prosecuted 38 defendants in 11 cases, a significant "
                       "increase from the nine defendants prosecuted in 2020. It reported four "
                       "convictions, compared with one conviction last year.\n", year=2021)
    assert (figures["nine"].role, figures["nine"].period) == ("total", "2020")
    assert (figures["one"].unit, figures["one"].role, figures["one"].period) == (
        "persons", "total", "2020")


def test_what_is_included_was_counted_by_the_verb_of_the_whole():
    figures = _figures("Officials identified 1,205 potential victims, including 610 children, "
                       "and referred 402 of them to care.\n", country="COL")
    assert (figures["610"].indicator, figures["610"].part_of, figures["610"].breakdown) == (
        "victims_identified", figures["1,205"].start, "age=child")


def test_money_spent_is_funding_and_its_conversion_is_not_counted_again(tmp_path):
    panel, _ = _panel(_source(tmp_path, (
        "The anti-trafficking unit reported spending 450,000 cedis ($74,000) on victim "
        "protection in 2021, a decrease from 520,000 cedis ($86,000) in 2020.\n"),
        country="GHA", year=2021))
    assert panel == {(2021, "funding", "GHS", "total"): 450000,
                     (2020, "funding", "GHS", "total"): 520000}


def test_cases_carried_over_from_earlier_years_are_not_the_years_count():
    figures = _figures("Authorities initiated prosecutions against 19 alleged traffickers and "
                       "continued prosecuting 25 defendants from previous years. Twelve victims "
                       "from prior years continued to receive care.\n", country="COL")
    assert [figures[t].role for t in ("19", "25", "Twelve")] == ["total", "other", "other"]


def test_a_sentence_on_its_own_year_breaks_down_that_years_count_not_an_earlier_range():
    figures = _figures("Between 2015 and 2020 about 2,300 victims were identified, most of them "
                       "women. In 2019, 246 of the identified victims were women and 97 were "
                       "children.\n", country="MDA", year=2021)
    assert [(figures[t].period, figures[t].role, figures[t].part_of, figures[t].breakdown)
            for t in ("246", "97")] == [("2019", "part", None, "sex=female"),
                                         ("2019", "part", None, "age=child")]


def test_officials_trained_have_no_form_of_exploitation():
    figures = _figures("The ministry trained more than 1,600 officials during the year, among "
                       "them 520 police officers, 340 labor inspectors, and 45 judges.\n")
    assert figures["340"].part_of == figures["1,600"].start
    assert figures["340"].breakdown is None


def test_people_screened_and_a_shelters_capacity_are_not_counts_of_victims():
    figures = _figures("Officials screened 306 migrants, identified 139 as trafficking victims, "
                       "and deported the rest. The shelter, which had capacity for 120 residents, "
                       "sheltered 97 victims.\n", country="LAO", year=2023)
    assert [figures[t].role for t in ("306", "139", "120", "97")] == [
        "other", "total", "other", "total"]


def test_the_country_of_a_figure_is_named_in_its_own_clause():
    figures = _figures("Of these, 265 were Lao nationals exploited mostly in China and Thailand, "
                       "and 183 were foreign nationals. Authorities in destination countries "
                       "identified many more victims: the United Kingdom's referral mechanism "
                       "registered 89 potential Lao victims.\n", country="LAO", year=2023)
    assert (figures["183"].country_code, figures["89"].country_code) == (None, "GBR")


def test_after_a_semicolon_of_the_victims_is_of_the_headline_not_of_its_last_part():
    figures = _figures("Authorities identified 1,173 victims in 2019, including 1,035 adults and "
                       "138 children, compared with 1,320 in 2018; 902 of the victims were women "
                       "or girls.\n", country="IDN", year=2019)
    assert (figures["902"].part_of, figures["902"].breakdown) == (
        figures["1,173"].start, "sex=female")


def test_another_count_makes_both_pieces_of_an_unstated_total_but_not_in_a_list_of_parts():
    figures = _figures("The reception center accommodated 19 victims, and NGO shelters housed "
                       "another 27. Prosecutors opened 75 proceedings. Of the new proceedings, "
                       "49 concerned sex trafficking, 13 labor trafficking, and another 13 the "
                       "sale of newborns.\n", country="SRB", year=2019)
    assert [figures[t].role for t in ("19", "27", "75")] == ["part", "part", "total"]
    assert figures["49"].part_of == figures["75"].start


def test_a_part_of_a_part_by_another_dimension_is_no_breakdown_and_keeps_its_country():
    figures = _figures("In the United Kingdom, 3,984 Albanian nationals were referred to the "
                       "National Referral Mechanism as potential victims in 2022; 1,142 of them "
                       "were minors.\n", country="ALB", year=2022)
    assert (figures["3,984"].breakdown, figures["3,984"].country_code) == (
        "nationality=ALB", "GBR")
    assert (figures["1,142"].part_of, figures["1,142"].breakdown,
            figures["1,142"].country_code) == (figures["3,984"].start, None, "GBR")


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


def test_a_rate_in_another_clause_does_not_undate_a_figure_and_offences_are_cases():
    figures = _figures("From 2018 to 2021, the police recorded a total of 412 offences of "
                       "trafficking in persons, ranging from 87 to 124 offences a year.\n",
                       country="KAZ", year=2022)
    assert (figures["412"].period, figures["412"].indicator) == ("2018/2021", "investigations")


def test_of_the_remaining_bare_number_and_in_the_last_year():
    figures = _figures("In 2007, the unit reported 694 cases of child trafficking. Of the "
                       "remaining 594, 103 were referred for shelter services.\n\nWhile "
                       "investigations continued, there were only three convictions reported in "
                       "the last year.\n", country="ETH", year=2008)
    assert (figures["103"].role, figures["103"].part_of) == ("part", figures["594"].start)
    assert figures["three"].period == "2008"


def test_a_date_after_a_telling_verb_dates_the_telling_not_the_count():
    figures = _figures("Provincial police registered 1,137 cases of human trafficking last year, "
                       "up from 980 in 2021, and rescued 2,340 victims, according to figures "
                       "released by the home department in January.\n", country="PAK", year=2023)
    assert [figures[t].period for t in ("1,137", "980", "2,340")] == ["2022", "2021", "2022"]


def test_of_the_n_opens_on_the_years_count_unless_it_goes_on_with_a_case():
    figures = _figures("Of the 150 prosecutions, 30 were initiated during the reporting period. "
                       "In one case, police raided a farm. Of the 36 victims, 22 were children.\n",
                       country="THA", year=2021)
    assert [figures[t].role for t in ("150", "30", "36")] == ["total", "part", "case"]


def test_the_rest_of_a_whole_and_the_convicted_ones_are_parts_of_the_convictions():
    figures = _figures("Prosecutors sent 44 cases against 67 suspects to court, and courts "
                       "convicted 41 traffickers, compared with 36 in 2021. Courts sentenced 33 of "
                       "the convicted traffickers to prison terms; the other eight received "
                       "suspended sentences. First responders referred 167 victims; police "
                       "referred 71, social welfare centers 48, and NGOs the remaining 48.\n",
                       country="KAZ")
    convictions = figures["41"].start
    assert [(figures[t].indicator, figures[t].part_of) for t in ("33", "eight")] == [
        ("convictions", convictions), ("convictions", convictions)]
    assert {figures[t].part_of for t in ("71", "48")} == {figures["167"].start}


def test_labor_before_a_noun_it_describes_is_no_form_of_exploitation():
    figures = _figures("The unit investigated 64 potential trafficking cases, referring 38 of "
                       "them to prosecutors; it closed the remaining 26 or reclassified them as "
                       "labor disputes.\n", country="BHR", year=2019)
    assert (figures["26"].part_of, figures["26"].breakdown) == (figures["64"].start, None)


def test_income_and_reparations_are_money_for_the_problem_and_a_monthly_stipend_is_a_rate():
    figures = _figures("Our total income in 2022 was 41.3 million baht. Those who joined the "
                       "program received a monthly stipend of $375.\n", country="THA")
    assert (figures["41.3 million"].indicator, figures["41.3 million"].role) == (
        "funding", "total")
    assert (figures["$375"].indicator, figures["$375"].role) == ("funding", "other")


def test_a_share_told_after_a_headline_is_of_the_headlines_kind():
    figures = _figures("Authorities identified 512 victims in 2023. Nearly three-quarters were "
                       "Moroccan.\n", country="MAR", year=2023)
    assert (figures["three-quarters"].indicator, figures["three-quarters"].role) == (
        "victims_identified", "other")


def test_a_comma_before_involving_still_counts_the_same_cases_in_persons():
    figures = _figures("Police registered 1,936 cases in 2022. The federal agency accounted for "
                       "142 of these cases, involving 371 suspects.\n", country="PAK")
    assert figures["142"].part_of == figures["1,936"].start
    assert (figures["371"].indicator, figures["371"].unit) == ("investigations", "persons")


def test_an_opening_that_names_its_whole_by_a_participle_gives_the_parts_its_kind():
    figures = _figures("Inspectors carried out 563 operations in 2023.\n\nOf the workers "
                       "rescued in 2023, 2,671 were men and 375 were women.\n",
                       country="BRA", year=2023)
    assert [(figures[t].indicator, figures[t].role) for t in ("2,671", "375")] == [
        ("victims_identified", "part")] * 2


def test_the_next_places_of_a_ranking_are_parts_of_the_same_whole():
    figures = _figures("Police identified 300 victims in 2023, including 120 in Lagos, "
                       "followed by Kano (80) and Abuja with 40.\n", country="NGA", year=2023)
    assert {figures[t].part_of for t in ("120", "80", "40")} == {figures["300"].start}
    assert {figures[t].role for t in ("120", "80", "40")} == {"part"}


def test_own_nationals_brought_back_are_a_part_where_the_foreign_ones_sent_home_are_counted():
    both = _figures("The Ministry of Foreign Affairs facilitated the repatriation of 214 Ugandan "
                    "victims from Saudi Arabia, and the government returned 61 foreign victims "
                    "to Kenya.\n", country="UGA", year=2020)
    assert (both["214"].role, both["214"].breakdown) == ("part", None)
    alone = _figures("The Ministry of Foreign Affairs repatriated 73 Honduran victims "
                     "identified abroad.\n", country="HND", year=2012)
    assert alone["73"].role == "total"


def test_a_sentence_that_opens_on_one_case_or_operation_tells_that_case_throughout():
    figures = _figures("In a joint operation in August 2023, border police and their Chinese "
                       "counterparts detained 771 people in scam compounds; officials screened "
                       "306 of them and identified 139 as trafficking victims. In a 2023 case, "
                       "inspectors rescued 86 workers from a coffee farm.\n",
                       country="LAO", year=2023)
    assert {figures[t].role for t in ("771", "139", "86")} == {"case"}


def test_a_nationality_before_a_pair_of_nouns_is_the_pairs_nationality():
    figures = _figures("Separately, Chinese authorities reported rescuing 96 Lao women and girls "
                       "from forced marriages in China in 2023.\n", country="LAO", year=2023)
    assert (figures["96"].breakdown, figures["96"].country_code) == ("nationality=LAO", "CHN")


def test_charges_dismissed_or_dropped_are_acquittals_not_prosecutions():
    figures = _figures("Courts acquitted or dismissed charges against 19 defendants, and "
                       "prosecutors dropped the charges against seven suspects. Police charged "
                       "12 suspects.\n", country="UGA", year=2020)
    assert [figures[t].indicator for t in ("19", "seven", "12")] == [
        "acquittals", "acquittals", "prosecutions"]


def test_parts_named_after_a_count_told_earlier_in_the_paragraph_are_of_that_count():
    figures = _figures("Prosecutors opened 90 cases involving 150 suspects in 2023. Of the new "
                       "cases, 40 concerned sexual exploitation and 30 forced labour. Foreign "
                       "nationals made up 35 of the suspects.\n", country="MAR", year=2023)
    assert (figures["35"].part_of, figures["35"].breakdown) == (
        figures["150"].start, "nationality=foreign")


def test_the_rest_of_a_headline_and_a_named_whole_after_a_part_of_a_part():
    figures = _figures("Authorities identified 400 victims in 2023. Most were Moroccan, while "
                       "the remaining 120 came mainly from Guinea, Mali and Senegal. Children "
                       "accounted for 150 of the victims, 90 of them found begging, and 210 of "
                       "the victims were women and girls.\n", country="MAR", year=2023)
    headline = figures["400"].start
    assert (figures["120"].part_of, figures["120"].breakdown) == (headline, None)
    assert (figures["210"].part_of, figures["210"].breakdown) == (headline, "sex=female")
    assert figures["90"].part_of == figures["150"].start


def test_victims_sent_home_to_one_country_are_a_part_of_that_nationality():
    figures = _figures("During the year the government assisted in the repatriation of 19 "
                       "children to Burkina Faso. It repatriated 40 victims to Mali and Guinea.\n",
                       country="MLI", year=2004)
    assert (figures["19"].role, figures["19"].breakdown) == ("part", "nationality=BFA")
    assert (figures["40"].role, figures["40"].breakdown) == ("total", None)


def test_a_table_copied_with_tabs_is_read_like_one_with_bars():
    figures = _figures("Year\tVictims identified\tof whom minors\tDefendants sent to trial\n"
                       "2021\t505\t241\t369\n2022\t502\t233\t418\n", country="ROU", year=2022)
    assert (figures["505"].indicator, figures["505"].period, figures["505"].role) == (
        "victims_identified", "2021", "total")
    assert (figures["233"].part_of, figures["233"].breakdown) == (
        figures["502"].start, "age=child")
    assert figures["418"].indicator == "prosecutions"


def test_a_countrys_authorities_count_for_that_country_and_a_comparison_keeps_it():
    figures = _figures("The United Kingdom's referral mechanism received 1,106 referrals of "
                       "Romanian potential victims in 2022, up from 873 in 2021,[15] and Italian "
                       "authorities assisted 319 Romanian victims in 2021.[16]\n",
                       country="ROU", year=2022)
    assert [(figures[t].country_code, figures[t].breakdown) for t in ("1,106", "873", "319")] \
        == [("GBR", "nationality=ROU"), ("GBR", "nationality=ROU"), ("ITA", "nationality=ROU")]
    assert figures["319"].indicator == "victims_assisted"


def test_a_colon_list_after_a_comparison_and_a_clause_after_a_semicolon_are_the_main_counts():
    figures = _figures("It identified 40 trafficking victims in 2013, compared with 30 in 2012, "
                       "all of them women: 25 victims of sex trafficking and 15 of forced labor; "
                       "20 were from Nepal and 12 from India.\n", country="OMN", year=2013)
    headline = figures["40"].start
    assert [(figures[t].part_of, figures[t].period, figures[t].breakdown)
            for t in ("25", "15", "20", "12")] == [
        (headline, "2013", "form=sex_trafficking"), (headline, "2013", "form=forced_labour"),
        (headline, "2013", "nationality=NPL"), (headline, "2013", "nationality=IND")]
    assert figures["30"].period == "2012"


def test_respective_years_and_a_part_among_those_a_participle_names():
    figures = _figures("Courts convicted 13 defendants in 2013, compared with five and seven "
                       "convictions in 2012 and 2011, respectively. Courts ordered the "
                       "deportation of the 11 foreign nationals among those convicted.\n",
                       country="OMN", year=2013)
    assert [figures[t].period for t in ("five", "seven")] == ["2012", "2011"]
    assert (figures["11"].part_of, figures["11"].breakdown) == (
        figures["13"].start, "nationality=foreign")


def test_a_bare_number_in_brackets_takes_the_year_of_the_last_bracket_of_the_paragraph():
    figures = _figures("Authorities prosecuted 139 suspects in 118 cases (102 suspects in 90 "
                       "cases in 2019). Courts convicted 121 traffickers (86), including 74 "
                       "women.\n", country="UZB", year=2020)
    assert (figures["86"].indicator, figures["86"].period, figures["86"].role) == (
        "convictions", "2019", "total")


def test_officials_trained_by_profession_are_parts_and_civilians_trained_are_not_officials():
    figures = _figures("The ministry trained 115 magistrates and 240 police officers on the law. "
                       "The Ministry of Tourism trained 68 hotel employees on child sex tourism. "
                       "The academy trained 365 officials in 2016.\n", country="MDG", year=2016)
    assert {figures[t].role for t in ("115", "240")} == {"part"}
    assert figures["68"].indicator == "other"
    assert (figures["365"].indicator, figures["365"].role) == ("officials_trained", "total")


def test_another_n_investigations_after_n_cases_makes_both_parts():
    figures = _figures("The brigade investigated 23 cases of suspected trafficking, and police in "
                       "two other cities reported another 14 investigations.\n",
                       country="MDG", year=2016)
    assert (figures["23"].role, figures["14"].role) == ("part", "part")


def test_a_sentence_that_names_its_year_breaks_down_that_years_count_in_a_table_before():
    figures = _figures("Year\tVictims identified\tDefendants sent to trial\n2021\t505\t369\n"
                       "2022\t502\t418\n\nIn 2022, 428 of the victims were female and 74 male; "
                       "361 were exploited sexually and 97 in forced labour.\n",
                       country="ROU", year=2022)
    whole = figures["502"].start
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("428", "74", "361", "97")] == [
        (whole, "sex=female"), (whole, "sex=male"), (whole, "form=sex_trafficking"),
        (whole, "form=forced_labour")]


def test_children_brought_back_from_abroad_are_the_other_flow_of_repatriations():
    figures = _figures("During the year the government assisted in the repatriation of 19 "
                       "children to Burkina Faso. Fifty-four children were repatriated from "
                       "Senegal during the year.\n", country="MLI", year=2004)
    assert (figures["Fifty-four"].role, figures["Fifty-four"].breakdown) == ("part", None)


def test_cases_in_which_courts_ordered_restitution_are_no_count_of_prosecutions():
    figures = _figures("Courts convicted 30 traffickers and ordered restitution in 12 cases.\n",
                       country="IDN", year=2019)
    assert (figures["30"].role, figures["12"].role) == ("total", "other")


def test_a_clause_that_tells_one_operation_is_a_case_and_returns_are_counted_at_home():
    figures = _figures("The government repatriated 213 victims from abroad; separately, in a "
                       "special operation, it returned 98 women and children from camps in "
                       "Syria.\n", country="UZB", year=2020)
    assert (figures["213"].role, figures["98"].role, figures["98"].country_code) == (
        "total", "case", None)


def test_a_comparison_in_brackets_ends_with_them_and_a_colon_list_breaks_down_the_headline():
    figures = _figures("The 2014 trafficking law prescribed five to eight years' imprisonment. "
                       "Authorities identified a total of 112 victims in 2015 (compared with 87 "
                       "in 2014), of which 71 were exploited in forced labor and 38 in sex "
                       "trafficking. The government disaggregated the victims by sex: 73 were "
                       "male and 39 female; the foreign victims came from Afghanistan (four).\n",
                       country="TJK", year=2015)
    headline = figures["112"].start
    assert [(figures[t].part_of, figures[t].period, figures[t].breakdown)
            for t in ("71", "38", "73", "39")] == [
        (headline, "2015", "form=forced_labour"), (headline, "2015", "form=sex_trafficking"),
        (headline, "2015", "sex=male"), (headline, "2015", "sex=female")]
    assert figures["four"].breakdown == "nationality=AFG"


def test_a_year_that_names_a_law_dates_no_later_sentence():
    figures = _figures("The 2014 trafficking law criminalized trafficking. Prosecutors sent 21 "
                       "cases to court.\n", country="TJK", year=2015)
    assert figures["21"].period == "2015"


def test_a_year_after_a_list_of_compared_figures_is_theirs():
    figures = _figures("Police opened 38 investigations in 2015, compared with 44 in 2014 and 29 "
                       "in 2013; an additional 11 investigations begun earlier remained open.\n",
                       country="TJK", year=2015)
    assert figures["11"].period == "2015"


def test_a_table_row_restated_in_prose_is_broken_down_after_a_semicolon():
    figures = _figures("Year\tInvestigations\tSuspects prosecuted\n2021\t10\t6\n2022\t16\t11\n\n"
                       "In 2022, the 16 investigations involved 27 suspects; nine concerned sex "
                       "trafficking and five forced labor.\n", country="NAM", year=2022)
    restated = figures["16"]
    assert restated.role == "total"
    assert [(figures[t].unit, figures[t].breakdown) for t in ("nine", "five")] == [
        (restated.unit, "form=sex_trafficking"), (restated.unit, "form=forced_labour")]


def test_a_colon_after_the_victims_lists_their_parts_and_by_form_opens_a_list():
    figures = _figures("The ministry identified 46 victims in 2022. The ministry disaggregated "
                       "the victims by age: 29 adults and 17 children. By form, 22 were "
                       "exploited in forced labor and 18 in sex trafficking. Authorities abroad "
                       "identified many more Namibian victims: officials in Angola reported 12.\n",
                       country="NAM", year=2022)
    headline = figures["46"].start
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("29", "17", "22", "18")] == [
        (headline, "age=adult"), (headline, "age=child"), (headline, "form=forced_labour"),
        (headline, "form=sex_trafficking")]
    assert figures["12"].part_of is None


def test_a_planned_allocation_for_a_fiscal_year_is_dated_by_it_and_no_years_spending():
    figures = _figures("The government would allocate J$12 million to the task force in the "
                       "2012/13 fiscal year.\n", country="JAM", year=2011)
    assert (figures["J$12 million"].unit, figures["J$12 million"].period,
            figures["J$12 million"].role) == ("JMD", "2012/2013", "other")


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


def test_two_parts_of_one_whole_under_one_breakdown_are_neither_its_count():
    figures = _figures("Police investigated 14 cases in 2023: nine of child sex trafficking, four "
                       "of labor trafficking, and one of adult sex trafficking.\n",
                       country="MUS", year=2023)
    assert (figures["nine"].breakdown, figures["four"].breakdown) == (
        None, "form=forced_labour")


def test_a_colon_list_after_a_comparison_by_a_share_is_the_main_counts_and_keeps_its_unit():
    figures = _figures("Courts convicted 126 traffickers, 37 percent more than the 92 convicted "
                       "in 2020: 84 for sex trafficking and 42 for labor trafficking.\n",
                       country="TWN", year=2021)
    assert (figures["92"].unit, figures["92"].period, figures["92"].role) == (
        "persons", "2020", "total")
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("84", "42")] == [
        (figures["126"].start, "form=sex_trafficking"),
        (figures["126"].start, "form=forced_labour")]


def test_the_n_foreign_victims_after_a_headline_are_its_part_and_their_countries_theirs():
    figures = _figures("Authorities identified 148 victims in 2021 (181 in 2020). Nationals "
                       "numbered 92; the 56 foreign victims came from Indonesia (24), Vietnam "
                       "(17) and the PRC (two).\n", country="TWN", year=2021)
    foreign = figures["56"]
    assert (foreign.part_of, foreign.breakdown) == (figures["148"].start, "nationality=foreign")
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("24", "17", "two")] == [
        (foreign.start, "nationality=IDN"), (foreign.start, "nationality=VNM"),
        (foreign.start, "nationality=CHN")]


def test_n_victims_were_foreign_after_a_headline_is_its_part_and_girls_alone_no_breakdown():
    figures = _figures("Authorities identified 63 victims in 2013. Four victims were foreign "
                       "nationals. The shelter housed 31 girls during the year, and NGOs "
                       "assisted 40 victims. More than 60 victims had been rescued since "
                       "January.\n", country="SLV", year=2013)
    assert (figures["Four"].part_of, figures["Four"].breakdown) == (
        figures["63"].start, "nationality=foreign")
    assert (figures["31"].role, figures["31"].breakdown) == ("part", None)
    assert figures["60"].part_of is None


def test_the_laws_penalties_go_on_in_a_second_clause_but_a_sentence_is_no_penalty():
    figures = _figures("The law prescribed penalties of two to five years' imprisonment for "
                       "offenses involving adults, and five to 10 years' imprisonment for "
                       "offenses involving children. Two traffickers received fines of $2,000 "
                       "each and suspended prison terms of three years.\n", country="MDG",
                       year=2016)
    assert (figures["five to 10"].indicator, figures["five to 10"].period) == ("penalty", None)
    assert figures["three"].indicator != "penalty"


def test_an_including_list_with_no_whole_in_its_sentence_is_of_the_headline_before():
    figures = _figures("The unit identified 37 victims in 2016. Twenty-nine were female. All but "
                       "one were foreign nationals, including nine Romanians and seven "
                       "Indians.\n", country="CYP", year=2016)
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("nine", "seven")] == [
        (figures["37"].start, "nationality=ROU"), (figures["37"].start, "nationality=IND")]


def test_an_earlier_year_in_brackets_is_a_part_as_its_model_is_and_a_capacity_is_no_count():
    figures = _figures("The state center assisted 284 victims (226 in 2019); NGO shelters "
                       "assisted another 118. The shelter, which can host 30 residents, housed "
                       "ten men.\n", country="UZB", year=2020)
    assert (figures["284"].role, figures["226"].role, figures["226"].period) == (
        "part", "part", "2019")
    assert figures["30"].role == "other"


def test_n_of_the_m_victims_were_male_breaks_down_by_what_they_were():
    figures = _figures("Year\tVictims recognised\n2018\t54\n2019\t43\n\nIn 2019, 26 of the 43 "
                       "victims were male and 17 female. The government repatriated six of the "
                       "seven Bangladeshi victims.\n", country="LTU", year=2019)
    assert (figures["43"].role, figures["26"].breakdown, figures["17"].breakdown) == (
        "total", "sex=male", "sex=female")
    assert figures["six"].breakdown is None


def test_a_compared_count_named_by_its_own_noun_of_persons_takes_that_indicator():
    figures = _figures("Police arrested 16 people in 2011, 12 of whom were charged with "
                       "trafficking, compared with 11 arrests in 2010.\n", country="JAM",
                       year=2011)
    assert (figures["11"].indicator, figures["11"].period) == ("arrests", "2010")


def test_of_the_100_restates_the_count_told_before_in_prose():
    figures = _figures("The government identified 100 victims (119 in 2021). All three officially "
                       "recognized victims were girls. Of the 100, 71 were children and 29 "
                       "adults.\n", country="MKD", year=2022)
    assert [(figures[t].indicator, figures[t].breakdown) for t in ("71", "29")] == [
        ("victims_identified", "age=child"), ("victims_identified", "age=adult")]


def test_a_bare_count_before_and_another_verb_shares_the_next_ones_noun():
    figures = _figures("Courts convicted 14 and acquitted three defendants in 2013, compared with "
                       "six and two, respectively, in 2012.\n", country="QAT", year=2013)
    assert [(figures[t].indicator, figures[t].period) for t in ("14", "three", "six", "two")] \
        == [("convictions", "2013"), ("acquittals", "2013"), ("convictions", "2012"),
            ("acquittals", "2012")]


def test_lists_after_a_semicolon_or_by_nationality_and_returns_to_a_country():
    figures = _figures("The government identified 1,482 victims in 2019. Most were Burkinabe; 96 "
                       "were foreign nationals. The shelter assisted 73 victims during the year. "
                       "By nationality, the residents were 28 Filipinas and 19 Indonesians. The "
                       "government paid for the return flights of 46 victims, including 17 to the "
                       "Philippines.\n", country="BFA", year=2019)
    assert (figures["96"].part_of, figures["96"].breakdown) == (
        figures["1,482"].start, "nationality=foreign")
    assert [(figures[t].part_of, figures[t].breakdown) for t in ("28", "19")] == [
        (figures["73"].start, "nationality=PHL"), (figures["73"].start, "nationality=IDN")]
    assert figures["17"].breakdown == "nationality=PHL"


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


def test_suspected_victims_identified_are_the_years_count_and_an_earlier_years_keeps_its_part():
    figures = _figures("Police identified 930 suspected victims in 2021, compared with 1,204 in "
                       "2020. Officials identified 212 foreign victims, an increase from 48 in "
                       "2020.\n", country="BOL", year=2021)
    assert [(figures[t].role, figures[t].period, figures[t].breakdown)
            for t in ("930", "1,204", "212", "48")] == [
        ("total", "2021", None), ("total", "2020", None),
        ("part", "2021", "nationality=foreign"), ("part", "2020", "nationality=foreign")]


def test_a_bare_number_in_brackets_right_after_a_year_is_that_years_count():
    figures = _figures("Prosecutors identified 388 victims in 2021; they revised their figures "
                       "for victims identified in 2020 (702) and 2019 (655).\n",
                       country="ECU", year=2021)
    assert [(figures[t].role, figures[t].period, figures[t].part_of)
            for t in ("702", "655")] == [("total", "2020", None), ("total", "2019", None)]


def test_investigations_continued_from_earlier_years_are_not_the_years_count():
    figures = _figures("In 2021, the police unit opened 41 new investigations and continued 16 "
                       "investigations initiated in previous years.\n", country="ARM", year=2021)
    assert (figures["41"].role, figures["16"].role) == ("total", "other")


def test_a_duration_and_a_number_after_it_are_no_range_without_between():
    figures = _figures("Courts convicted nine traffickers; four received sentences of less than "
                       "one year and five received sentences of between two and six years.\n",
                       country="MDA", year=2016)
    assert "one year and five" not in figures
    assert (figures["one"].value_max, figures["five"].value_max,
            figures["two and six"].value_max) == (None, None, 6)


def test_of_whom_were_says_who_the_part_is_even_when_another_verb_follows():
    figures = _figures("Authorities reported 31 prosecutions versus 40. Police rescued 208 "
                       "victims, 163 of whom were children, and referred them to shelters.\n",
                       country="JAM", year=2012)
    assert (figures["163"].part_of, figures["163"].breakdown) == (
        figures["208"].start, "age=child")


def test_a_part_of_a_part_under_the_same_breakdown_is_not_that_count_again():
    figures = _figures("Officials identified 97 victims in 2016. Of these, 64 were exploited in "
                       "forced labor, 41 of them in domestic servitude.\n", country="MDG",
                       year=2016)
    assert (figures["64"].breakdown, figures["41"].breakdown) == ("form=forced_labour", None)


def test_no_before_a_noun_ends_the_noun_of_the_count_before_it():
    figures = _figures("The government reported 12 prosecutions and four convictions in 2011, "
                       "compared to seven prosecutions and no convictions in 2010.\n",
                       country="JAM", year=2011)
    assert (figures["seven"].indicator, figures["seven"].period) == ("prosecutions", "2010")


def test_each_compared_count_takes_the_verb_right_before_it():
    figures = _figures("Authorities reported investigating 104 cases, prosecuting 91 defendants "
                       "and convicting 47 traffickers, compared with investigating 88 cases, "
                       "prosecuting 72 defendants and convicting 39 traffickers in 2021.\n",
                       country="GHA", year=2022)
    assert [(figures[t].indicator, figures[t].period) for t in ("88", "72", "39")] == [
        ("investigations", "2021"), ("prosecutions", "2021"), ("convictions", "2021")]


def test_one_compared_count_after_counts_by_form_is_of_them_all():
    figures = _figures("Officials identified 802 victims of forced labor and 64 victims of sex "
                       "trafficking, compared with 612 victims in 2021.\n", country="GHA",
                       year=2022)
    assert (figures["612"].role, figures["612"].breakdown, figures["612"].period) == (
        "total", None, "2021")


def test_a_list_of_numbers_each_before_a_demonym_counts_people_of_that_nationality():
    figures = _figures("Authorities identified 540 victims in 2022. Foreign victims included "
                       "211 Burkinabe, 95 Malian and 12 Guinean nationals.\n", country="CIV",
                       year=2022)
    assert [(figures[t].unit, figures[t].breakdown) for t in ("211", "95", "12")] == [
        ("persons", "nationality=BFA"), ("persons", "nationality=MLI"),
        ("persons", "nationality=GIN")]


def test_charges_filed_in_cases_of_a_form_are_prosecutions():
    figures = _figures("Prosecutors filed charges in 22 cases of sex trafficking and nine of "
                       "forced labor.\n", country="LBN", year=2015)
    assert (figures["22"].indicator, figures["nine"].indicator) == ("prosecutions",
                                                                    "prosecutions")


def test_an_amount_spent_of_a_budget_is_a_share_not_the_years_funding(tmp_path):
    text = ("The commission spent 95,000 leva ($52,000) of its budget on shelters. The "
            "commission received 410,000 leva ($227,000) from the state budget in 2016.\n")
    panel, _ = _panel(_source(tmp_path, text, country="BGR", year=2016))
    assert panel[(2016, "funding", "BGN", "total")] == 410_000


def test_a_new_predicate_after_a_named_subject_or_an_aside_ends_the_compared_part():
    figures = _figures("Police opened 530 cases in 2017, down from 602 in 2016, and the "
                       "Directorate for Investigating Organized Crime (DIICOT) prosecuted 401 "
                       "defendants. The government referred 120 victims, compared with 90 in "
                       "2016, and, in partnership with NGOs, assisted 310 victims.\n",
                       country="ROU", year=2017)
    assert [(figures[t].indicator, figures[t].period) for t in ("401", "310")] == [
        ("prosecutions", "2017"), ("victims_assisted", "2017")]


def test_a_year_earlier_is_the_year_before_the_one_named():
    figures = _figures("Federal courts convicted 27 defendants in 2021, compared with 35 a year "
                       "earlier.\n", country="BRA", year=2021)
    assert figures["35"].period == "2020"


def test_a_sentence_that_opens_on_since_gives_a_running_count():
    figures = _figures("Since the inspection groups were created in 1995, more than 41,000 "
                       "workers have been freed.\n", country="BRA", year=2021)
    assert figures["41,000"].role == "other"


def test_a_count_of_people_after_amounts_is_not_an_amount():
    figures = _figures("The inspection budget was 2.1 million reais in 2021, down from 3.3 "
                       "million reais in 2019, and the number of inspectors has fallen to about "
                       "1,900.\n", country="BRA", year=2021)
    assert (figures["1,900"].indicator, figures["1,900"].period) == ("other", "2021")


def test_the_previous_year_counts_from_the_main_count_not_from_a_compared_year():
    figures = _figures("The government referred 131 victims, compared with 90 in 2020, and "
                       "assisted 342 victims, compared with 160 the previous year.\n",
                       country="KEN", year=2021)
    assert figures["160"].period == "2020"


def test_what_is_said_of_all_of_them_does_not_part_a_figure_from_its_brackets():
    figures = _figures("Courts convicted seven traffickers, all for sex trafficking (five in "
                       "2022 and 11 in 2021), and acquitted three defendants.\n", country="NIC",
                       year=2023)
    assert [(figures[t].indicator, figures[t].period) for t in ("five", "11")] == [
        ("convictions", "2022"), ("convictions", "2021")]


def test_a_semicolon_inside_brackets_does_not_end_the_clause_a_comparison_stands_for():
    figures = _figures("Authorities identified 23 victims (16 sex trafficking and seven labor "
                       "trafficking victims; 18 females and five males), compared with 29 in "
                       "2022.\n", country="NIC", year=2023)
    assert (figures["29"].indicator, figures["29"].role) == ("victims_identified", "total")


def test_currency_names_written_with_accents():
    figures = _figures("It allocated 2.3 million córdobas ($63,000) to the ministry.\n",
                       country="NIC", year=2023)
    assert (figures["2.3 million"].unit, figures["2.3 million"].indicator) == ("NIO", "funding")


def test_a_compared_count_is_about_its_models_country_not_a_country_named_before_it():
    figures = _figures("The ministry repatriated seven Nicaraguan victims identified in Costa "
                       "Rica, compared with 12 in 2022.\n", country="NIC", year=2023)
    assert figures["12"].country_code is None


def test_among_them_names_who_a_part_is_even_when_another_verb_follows():
    figures = _figures("Courts convicted 187 traffickers (221 in 2016), among them 31 women, and "
                       "acquitted 19 defendants.\n", country="ROU", year=2017)
    assert (figures["31"].indicator, figures["31"].breakdown, figures["31"].part_of) == (
        "convictions", "sex=female", figures["187"].start)


def test_parts_of_the_people_named_by_a_participle_are_of_that_years_count_in_persons():
    figures = _figures("Prosecutors charged 401 defendants in 150 cases (377 defendants in "
                       "2016). Of the defendants prosecuted, 322 were charged with sex "
                       "trafficking and 58 with labor trafficking.\n", country="ROU", year=2017)
    assert [(figures[t].part_of, figures[t].period, figures[t].breakdown)
            for t in ("322", "58")] == [
        (figures["401"].start, "2017", "form=sex_trafficking"),
        (figures["401"].start, "2017", "form=forced_labour")]


def test_a_year_in_brackets_is_no_anchor_for_a_year_earlier():
    figures = _figures("Prosecutors charged 21 defendants (26 in 2017), and courts convicted 11 "
                       "traffickers, compared with 16 a year earlier.\n", country="ALB",
                       year=2018)
    assert figures["16"].period == "2017"


def test_victims_subjected_to_a_form_are_victims_counted_not_an_estimate():
    figures = _figures("Where the form was known, at least 38 victims had been subjected to sex "
                       "trafficking.\n", country="ALB", year=2018)
    assert (figures["38"].indicator, figures["38"].role) == ("victims_identified", "total")


def test_n_of_the_victims_with_a_share_in_brackets_were_children():
    figures = _figures("Authorities detected 330 victims in 2019. Overall, 98 of the victims "
                       "(30%) were children.\n", country="MMR", year=2019)
    assert figures["98"].breakdown == "age=child"


def test_a_year_after_a_converted_amount_dates_that_amount_not_the_next_clause():
    figures = _figures("The ministry disbursed 110 million FCFA ($180,000) to NGO shelters, an "
                       "increase from 80 million FCFA ($140,000) in 2021, and the government's "
                       "shelters assisted 240 children.\n", country="CIV", year=2022)
    assert (figures["80 million"].period, figures["240"].period) == ("2021", "2022")


def test_officials_by_profession_stay_parts_when_civilians_trained_follow():
    figures = _figures("The government trained 131 police officers, 57 magistrates and 29 labor "
                       "inspectors, and it trained 70 members of cocoa cooperatives.\n",
                       country="CIV", year=2022)
    assert [figures[t].role for t in ("131", "57", "29")] == ["part"] * 3
    assert (figures["70"].indicator, figures["70"].role) == ("other", "other")


def test_workers_detained_are_no_arrests_of_suspects():
    figures = _figures("Authorities detained at least 12 domestic workers who had fled abusive "
                       "employers.\n", country="LBN", year=2015)
    assert figures["12"].indicator == "other"


@pytest.mark.parametrize(("text", "role", "breakdown"), [
    ("The government repatriated 48 foreign victims, compared with 63 in 2014.\n",
     "total", None),
    ("The government repatriated 48 foreign victims and brought back 95 Lebanese victims from "
     "abroad.\n", "part", "nationality=foreign"),
])
def test_foreign_victims_sent_home_are_the_total_unless_own_nationals_are_counted_too(
        text, role, breakdown):
    figures = _figures(text, country="LBN", year=2015)
    assert (figures["48"].role, figures["48"].breakdown) == (role, breakdown)


def test_own_nationals_brought_back_are_named_by_more_demonyms():
    figures = _figures("The government repatriated three foreign victims and assisted the "
                       "return of five North Macedonian nationals.\n", country="MKD", year=2022)
    assert (figures["five"].role, figures["five"].breakdown) == ("part", None)


def test_others_after_a_count_of_victims_are_people():
    figures = _figures("Officials identified 61 victims. At least 35 victims had been exploited in "
                       "sex trafficking; 19 others were exploited in forced labour.\n",
                       country="ALB", year=2018)
    assert (figures["19"].unit, figures["19"].role != "estimate") == ("persons", True)


def test_counts_side_by_side_with_their_own_subjects_and_no_verb_are_parts_by_form():
    figures = _figures("The ISF identified 41 victims of sex trafficking and DGS 176 victims of "
                       "forced labor.\n", country="LBN", year=2015)
    assert [(figures[t].role, figures[t].breakdown) for t in ("41", "176")] == [
        ("part", "form=sex_trafficking"), ("part", "form=forced_labour")]


def test_men_beside_boys_are_not_all_the_males():
    figures = _figures("Authorities identified 227 victims in 2015. Of these, 181 were women and "
                       "girls, 29 were men and 17 were boys.\n", country="LBN", year=2015)
    assert [figures[t].breakdown for t in ("181", "29", "17")] == ["sex=female", None, None]


def test_one_that_a_counting_verb_governs_is_a_figure():
    figures = _figures("Courts convicted six traffickers and acquitted one.\n", country="MKD",
                       year=2022)
    assert (figures["one"].indicator, figures["one"].role) == ("acquittals", "total")


def test_an_irregular_past_verb_after_and_ends_the_compared_part():
    figures = _figures("Police investigated 118 cases in 2016, compared with 90 in 2015, and "
                       "prosecutors sent 51 cases involving 70 defendants to court.\n",
                       country="UKR", year=2016)
    assert [(figures[t].period, figures[t].indicator) for t in ("51", "70")] == [
        ("2016", "prosecutions"), ("2016", "prosecutions")]


def test_countries_own_nationals_came_back_from_are_no_nationality():
    figures = _figures("The government repatriated 1,740 Cambodians, mostly from Thailand "
                       "(1,206) and China (311).\n", country="KHM", year=2021)
    assert [(figures[t].role, figures[t].breakdown) for t in ("1,206", "311")] == [
        ("part", None), ("part", None)]


def test_labor_brokers_are_no_form_and_a_count_of_the_first_months_is_no_total():
    figures = _figures("Authorities arrested 390 suspected traffickers, including 320 unlicensed "
                       "labor brokers. During the first six months of the year, police removed "
                       "190 foreign nationals from scam compounds.\n", country="KHM", year=2021)
    assert (figures["320"].breakdown, figures["190"].role) == (None, "other")


def test_suspects_named_and_money_set_aside_are_counted():
    figures = _figures("The police named 690 suspects in 520 trafficking cases in 2022. The "
                       "government set aside 41 billion rupiah for shelters in 2022.\n",
                       country="IDN", year=2022)
    assert (figures["690"].indicator, figures["41 billion"].indicator) == ("investigations",
                                                                         "funding")


def test_a_demonym_before_a_bracketed_number_is_a_part_of_that_nationality():
    figures = _figures("Police arrested 610 people in 2020, most of them Spanish, followed by "
                       "Romanians (91) and Chinese (45).\n", country="ESP", year=2020)
    assert [(figures[t].role, figures[t].breakdown) for t in ("91", "45")] == [
        ("part", "nationality=ROU"), ("part", "nationality=CHN")]


def test_a_news_story_that_quotes_an_annual_report_is_still_news():
    story = ("MADRID, 28 July 2021 - Spanish police freed 1,090 people from trafficking networks "
             "last year, fewer than in 2019, according to the annual report of the ministry. "
             "Police arrested 620 people in 2020.\n")
    figures = _figures(story, country="ESP", year=2020)
    assert figures["1,090"].period == "2020"


def test_a_restated_whole_is_the_count_of_its_value_told_before_not_the_headline():
    figures = _figures("Police investigated 118 cases in 2016, and prosecutors sent 49 cases "
                       "involving 66 defendants to court. Of the 49 cases, 28 involved labor "
                       "trafficking and 21 sex trafficking.\n", country="UKR", year=2016)
    assert [(figures[t].indicator, figures[t].breakdown) for t in ("28", "21")] == [
        ("prosecutions", "form=forced_labour"), ("prosecutions", "form=sex_trafficking")]


def test_two_agencies_counts_of_the_same_are_parts_of_an_unstated_total():
    figures = _figures("The Ghana Police Service (GPS) reported investigating 109 trafficking "
                       "cases in 2019 and the Ghana Immigration Service (GIS) 31 cases.\n",
                       country="GHA", year=2019)
    assert (figures["109"].role, figures["31"].role) == ("part", "part")


def test_an_increase_of_a_share_on_a_count_compares_with_that_count():
    figures = _figures("A record 16,900 people were referred in 2022, an increase of 30% on the "
                       "12,990 referred in 2021.\n", country="GBR", year=2022)
    assert (figures["12,990"].indicator, figures["12,990"].period, figures["12,990"].role) == (
        "victims_referred", "2021", "total")


def test_a_subject_that_names_a_breakdown_makes_the_count_a_part():
    figures = _figures("A record 16,900 people were referred in 2022. Albanians accounted for "
                       "4,300 referrals.\n", country="GBR", year=2022)
    assert (figures["4,300"].role, figures["4,300"].breakdown) == ("part", "nationality=ALB")


def test_a_count_of_some_months_of_the_year_is_no_total():
    figures = _figures("First responders made 3,810 referrals between January and March.\n",
                       country="GBR", year=2022)
    assert figures["3,810"].role == "other"


def test_a_subject_numbered_after_a_headline_is_its_part():
    figures = _figures("Authorities identified 1,090 victims in 2020. Foreign nationals numbered "
                       "58, most of them children from Benin.\n", country="NGA", year=2020)
    assert (figures["58"].indicator, figures["58"].breakdown, figures["58"].part_of) == (
        "victims_identified", "nationality=foreign", figures["1,090"].start)


def test_a_list_of_years_each_with_its_count_counts_what_the_words_before_name():
    figures = _figures("Cases ending in a conviction, by year: 2016 – 22; 2017 – 31; 2018 – 40."
                       "\nThe police publishes the number of trafficking cases registered each "
                       "year. The yearly totals were: 2014, 170; 2015, 176; 2016, 205.\n",
                       country="NGA", year=2020)
    assert [(figures[t].indicator, figures[t].unit, figures[t].period)
            for t in ("31", "176")] == [("convictions", "cases", "2017"),
                                        ("investigations", "cases", "2015")]


def test_people_who_reached_a_country_are_a_population():
    figures = _figures("Some 10,500 Nigerian women and girls reached Italy by sea in 2016.\n",
                       country="NGA", year=2020)
    assert figures["10,500"].role != "total"


def test_a_count_in_total_after_its_parts_is_their_whole():
    figures = _figures("Prosecutors filed indictments against 24 defendants under Section 360(C) "
                       "and 12 under Section 360(A)—36 defendants in total, up from 19 in 2022.\n",
                       country="LKA", year=2023)
    assert (figures["36"].indicator, figures["36"].role) == ("prosecutions", "total")
    assert [figures[t].part_of for t in ("24", "12")] == [figures["36"].start] * 2
    assert (figures["19"].indicator, figures["19"].period) == ("prosecutions", "2022")


def test_a_foreign_countrys_count_of_a_nationality_is_by_nationality_and_training_victims_is_care():
    figures = _figures("Jordanian authorities reported identifying 21 Egyptian men in forced "
                       "labor. NGOs reported providing shelter, medical care, or vocational "
                       "training to 240 victims.\n", country="EGY", year=2011)
    assert (figures["21"].country_code, figures["21"].breakdown) == ("JOR", "nationality=EGY")
    assert figures["240"].indicator == "victims_assisted"
