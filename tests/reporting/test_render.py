"""The results page and the self-contained report, rendered from the results object."""

from __future__ import annotations

import copy
import html
import json
import re
import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from cxgap.i18n import translate
from cxgap.reporting import (
    render_report_html,
    render_results_fragment,
    reporting_globals,
    reporting_template_dir,
)

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
LOCALES_DIR = ROOT / "src" / "cxgap" / "i18n" / "locales"
SECTIONS = (
    "headline",
    "validity",
    "knowledge",
    "priorities",
    "ranking",
    "desire",
    "internal",
    "customers",
    "segments",
    "method",
)
NBSP = "\u00a0"
EVIL = "<script>alert(1)</script>"


@pytest.fixture
def sample() -> dict[str, Any]:
    return json.loads((HERE / "data" / "results_sample.json").read_text(encoding="utf-8"))


def text_of(page: str) -> str:
    """The visible text, tags dropped and entities decoded, spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"[ \n\t]+", " ", html.unescape(without_tags))


def squeeze(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", page)).strip()


def svgs_of(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


def no_customers(results: dict[str, Any]) -> dict[str, Any]:
    empty = copy.deepcopy(results)
    for pillar in empty["pillars"]:
        for key in list(pillar):
            if key.startswith(("customer_", "knowledge_gap", "excellent_share_gap")):
                pillar[key] = None
        pillar.update(customer_n=0, priority_score=None, quadrant=None)
    empty.update(
        priorities=[],
        priority_reasons=[],
        priority_rank_correlation={"spearman_rho": None, "p": None, "n": 0},
        nps={"score": None, "ci": None, "n": 0, "promoters": 0, "passives": 0, "detractors": 0},
        csat={"n": 0, "mean": None, "top_box": None, "top_box_ci": None},
        ces={"n": 0, "mean": None, "top_box": None, "top_box_ci": None},
        by_generation={},
        generation_test=None,
        by_segment={},
        segment_test=None,
        margin_of_error=None,
        validity={"n": 0, "margin_of_error": None, "target_moe": 5.0, "enough": False},
    )
    return empty


# -- the fixture follows the contract --------------------------------------------------


def contract_example() -> dict[str, Any]:
    doc = (ROOT / "docs" / "results-format.md").read_text(encoding="utf-8")
    block = doc.split("```jsonc", 1)[1].split("```", 1)[0]
    return json.loads(re.sub(r"//[^\n]*", "", block))  # type: ignore[no-any-return]


def test_sample_fixture_has_every_field_of_the_contract(sample: dict[str, Any]) -> None:
    example = contract_example()
    assert set(sample) == set(example)
    assert all(set(p) == set(example["pillars"][0]) for p in sample["pillars"])
    for part in ("internal", "internal_agreement", "nps", "csat", "ces", "validity"):
        assert set(sample[part]) == set(example[part]), part
    assert set(sample["internal"]["totals"]) == set(example["internal"]["totals"])
    assert len(sample["pillars"]) == 10
    assert {"suppressed": True} in sample["by_generation"].values()
    assert {"department": "Legal", "suppressed": True} in sample["internal"]["by_department"]


def test_the_contract_example_itself_renders(sample: dict[str, Any]) -> None:
    page = render_results_fragment(contract_example(), locale="fr")
    assert "results." not in page and "None" not in text_of(page)


# -- every section, both languages -------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_every_section_renders_in_order_without_raw_keys(
    sample: dict[str, Any], locale: str
) -> None:
    page = render_results_fragment(sample, locale=locale)
    positions = [page.index(f'id="results-{section}-heading"') for section in SECTIONS]
    assert positions == sorted(positions)
    assert re.findall(r"results\.[a-z_]+", page) == []
    visible = text_of(page)
    assert not re.search(r"\b(None|nan|NaN|inf|Undefined)\b", visible)
    for section in SECTIONS:
        assert translate(f"results.{section}.title", locale) in visible
        assert translate(f"results.{section}.explain", locale) in visible


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_every_chart_is_accessible_and_followed_by_its_numbers(
    sample: dict[str, Any], locale: str
) -> None:
    page = render_results_fragment(sample, locale=locale)
    charts = svgs_of(page)
    assert len(charts) == 11
    for svg in charts:
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        for label_id in root.get("aria-labelledby", "").split():
            assert f'id="{label_id}"' in svg
    figures = re.findall(r'<figure class="chart">.*?</figure>', page, flags=re.S)
    assert len(figures) == len(charts)
    summary = translate("results.numbers", locale)
    for fig in figures:
        svg_end, details = fig.index("</svg>"), fig.index('<details class="numbers">')
        assert svg_end < details
        assert f"<summary>{summary}</summary>" in fig
        assert fig.count("<tr>") >= 2


def test_chart_ids_are_unique(sample: dict[str, Any]) -> None:
    ids = re.findall(r'\bid="([^"]+)"', render_results_fragment(sample, locale="en"))
    assert len(ids) == len(set(ids))


def test_headline_names_the_largest_excellent_share_gap(sample: dict[str, Any]) -> None:
    english = text_of(render_results_fragment(sample, locale="en"))
    assert (
        "58% of your colleagues rate “Customer service they receive” excellent; "
        "6% of your customers do." in english
    )
    french = text_of(render_results_fragment(sample, locale="fr"))
    assert (
        f"58{NBSP}% de vos collègues jugent «{NBSP}Le service client qu'ils reçoivent{NBSP}» "
        f"excellent{NBSP}; 6{NBSP}% de vos clients en disent autant." in french
    )
    assert "−13" in english and "[−19, −6]" in english  # NPS −12.5 with its CI
    assert "640" in english


def test_findings_are_said_in_words(sample: dict[str, Any]) -> None:
    visible = text_of(render_results_fragment(sample, locale="en"))
    assert (
        "Ranked 1st of 10 for importance by customers, 9th for performance — concentrate here."
        in visible
    )
    assert "Your colleagues’ priorities do not match your customers’" in visible
    assert f"Spearman’s ρ = −0.35, p{NBSP}={NBSP}0.33" in visible
    assert "your colleagues do not agree" in visible
    assert "Kendall’s W = 0.21" in visible
    assert "no clear difference between generations" in visible
    assert "segments answer differently" in visible
    assert "Your colleagues rate 7 of 10 pillars significantly higher" in visible
    assert "Welch’s t-test" in visible and "Kruskal–Wallis test" in visible


def test_french_numbers_use_decimal_commas_and_spaces(sample: dict[str, Any]) -> None:
    visible = text_of(render_results_fragment(sample, locale="fr"))
    assert "+1,35 *" in visible
    assert f"p{NBSP}<{NBSP}0,001" in visible
    assert f"41{NBSP}%" in visible
    assert f"[37{NBSP}%{NBSP}; 45{NBSP}%]" in visible
    assert "+1.35" not in visible and "0.33" not in visible


# -- groups hidden to protect people ------------------------------------------------------


def test_suppressed_groups_are_listed_without_any_count(sample: dict[str, Any]) -> None:
    sample["by_generation"]["silent"] = {"suppressed": True, "n": 14}  # a leak must not show
    sample["internal"]["by_department"][-1]["n"] = 1
    visible = text_of(render_results_fragment(sample, locale="en"))
    assert "Legal: fewer than 3 colleagues — hidden" in visible
    assert "Silent Generation: fewer than 30 answers — hidden" in visible
    assert "student: fewer than 30 answers — hidden" in visible
    assert re.findall(r"(Silent Generation|Legal|student)\s*·\s*n", visible) == []
    for table in re.findall(
        r"<table>.*?</table>", render_results_fragment(sample, locale="en"), re.S
    ):
        assert "Silent Generation" not in table and ">Legal<" not in table


def test_segment_names_come_from_the_web_with_the_key_as_fallback(
    sample: dict[str, Any],
) -> None:
    names = {"busy_family": {"en": "Busy families", "fr": "Familles pressées"}}
    french = text_of(render_results_fragment(sample, locale="fr", segment_names=names))
    assert "Familles pressées · n = 170" in french
    assert "budget_seeker · n = 210" in french
    sample["segment_names"] = {"budget_seeker": {"en": "Budget seekers", "fr": "Petits budgets"}}
    assert "Petits budgets · n = 210" in text_of(render_results_fragment(sample, locale="fr"))


# -- missing and thin data ----------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_no_customer_answers_says_so_instead_of_empty_charts(
    sample: dict[str, Any], locale: str
) -> None:
    page = render_results_fragment(no_customers(sample), locale=locale)
    visible = text_of(page)
    assert translate("results.validity.no_customers", locale) in visible
    # headline, knowledge gap, priorities, priority gap, customers, segments
    assert visible.count(translate("results.unavailable.customers", locale)) == 6
    chart_ids = re.findall(r'<svg[^>]*aria-labelledby="(cxg-[a-z-]+)-title', page)
    assert chart_ids == ["cxg-desire-gap", "cxg-totals", "cxg-departments"]
    assert re.findall(r"results\.[a-z_]+", page) == []
    assert not re.search(r"\b(None|nan)\b", visible)


def test_no_internal_answers_says_so(sample: dict[str, Any]) -> None:
    sample["internal"] = {"n": 0, "totals": None, "by_department": [], "department_test": None}
    sample["internal_agreement"] = None
    for pillar in sample["pillars"]:
        pillar["internal_n"] = 0
    visible = text_of(render_results_fragment(sample, locale="en"))
    assert translate("results.validity.no_internal", "en") in visible
    assert translate("results.unavailable.internal", "en") in visible


def test_too_few_answers_gives_the_margin_and_how_many_more(sample: dict[str, Any]) -> None:
    sample["validity"].update(n=120, margin_of_error=8.9, responses_needed=265, enough=False)
    page = render_results_fragment(sample, locale="en")
    assert "Too few answers: ±8.9 points; 265 more answers needed for ±5 points." in text_of(page)
    assert 'class="notice notice-warning"' in page


def test_null_values_render_as_a_dash(sample: dict[str, Any]) -> None:
    pillar = sample["pillars"][0]
    pillar.update(knowledge_gap=None, knowledge_gap_ci=None, knowledge_gap_p=None)
    pillar.update(customer_excellent_share=None, internal_rank_mean=None)
    sample["csat"]["mean"] = float("nan")
    page = render_results_fragment(sample, locale="en")
    assert not re.search(r"\b(None|nan)\b", text_of(page))
    assert "<td>—</td>" in page


# -- escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_user_text_is_escaped_in_html_and_svg(sample: dict[str, Any], locale: str) -> None:
    service = next(p for p in sample["pillars"] if p["key"] == "service")
    service.update(name_en=EVIL, name_fr=EVIL)
    sample["internal"]["by_department"][0]["department"] = EVIL
    sample["workspace"] = EVIL
    names = {"busy_family": {"en": EVIL, "fr": EVIL}}
    for page in (
        render_results_fragment(sample, locale=locale, segment_names=names),
        render_report_html(sample, locale=locale, segment_names=names),
    ):
        assert "<script" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        escaped_in_svg = [svg for svg in svgs_of(page) if "&lt;script&gt;" in svg]
        assert len(escaped_in_svg) >= 5  # gap, shares, scatter, slope, desire, departments…
        for svg in svgs_of(page):
            ET.fromstring(svg)


# -- the self-contained report ----------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_report_is_a_complete_document_with_nothing_to_fetch(
    sample: dict[str, Any], locale: str
) -> None:
    page = render_report_html(sample, locale=locale)
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert f'<html lang="{locale}">' in page
    assert "<style>" in page and ".results-section" in page
    for reference in ('src="http', "src='http", 'href="http', "href='http", "<link", "<script"):
        assert reference not in page.lower(), reference
    assert "@import" not in page and "url(" not in page
    assert "demo" in page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert len(svgs_of(page)) == 11


def test_report_title_can_be_given(sample: dict[str, Any]) -> None:
    page = render_report_html(sample, locale="en", title="Board pack <Q4>")
    assert "<title>Board pack &lt;Q4&gt;</title>" in page


# -- the web app can include the body template in its own environment -------------------


def test_web_environment_can_include_the_results_body(sample: dict[str, Any]) -> None:
    env = Environment(loader=FileSystemLoader(str(reporting_template_dir())), autoescape=True)
    env.globals.update(reporting_globals())
    page = env.from_string('<main>{% include "results_body.html" %}</main>').render(
        results=sample,
        locale="fr",
        t=partial(lambda loc, key, **kw: translate(key, loc, **kw), "fr"),
    )
    assert page.count('class="results-section') == len(SECTIONS)
    ours = "<main>" + render_results_fragment(sample, locale="fr") + "</main>"
    assert squeeze(page) == squeeze(ours)  # the same page, give or take template whitespace


# -- catalogues -----------------------------------------------------------------------------


def test_every_results_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    english = json.loads((LOCALES_DIR / "en" / "results.json").read_text(encoding="utf-8"))
    french = json.loads((LOCALES_DIR / "fr" / "results.json").read_text(encoding="utf-8"))
    assert set(english) == set(french)
    assert all(key.startswith("results.") for key in english)
    placeholder = re.compile(r"{(\w+)}")
    for key, message in english.items():
        assert set(placeholder.findall(message)) == set(placeholder.findall(french[key])), key
        assert french[key].strip() and message.strip(), key


# -- speed ---------------------------------------------------------------------------------


def _wider(sample: dict[str, Any], copies: int) -> dict[str, Any]:
    many = copy.deepcopy(sample)
    many["pillars"] = [
        {
            **pillar,
            "key": f"{pillar['key']}_{i}",
            "name_en": f"{pillar['name_en']} n°{i}",
            "name_fr": f"{pillar['name_fr']} n°{i}",
        }
        for i in range(copies)
        for pillar in sample["pillars"]
    ]
    return many


def test_the_page_grows_with_the_pillars_not_faster(sample: dict[str, Any]) -> None:
    """Every pillar of a 40-pillar workspace is drawn, and the page grows linearly with the
    pillars: work that exploded with them (a chart per pair, a table per pillar of every
    pillar) would show in the size. Its speed is measured by ``bench.results_shape``."""
    one = render_results_fragment(_wider(sample, 1), locale="fr")
    four = render_results_fragment(_wider(sample, 4), locale="fr")
    for pillar in _wider(sample, 4)["pillars"]:
        assert html.escape(pillar["name_fr"]) in four
    fixed = len(render_results_fragment({**sample, "pillars": []}, locale="fr"))
    per_pillar = (len(one) - fixed) / len(sample["pillars"])
    assert per_pillar > 0
    assert len(four) - fixed <= 4 * len(sample["pillars"]) * per_pillar * 1.25


def test_an_empty_results_object_renders_as_no_answers_yet() -> None:
    page = render_results_fragment({}, locale="en")
    assert translate("results.unavailable.both", "en") in text_of(page)
    assert svgs_of(page) == []
    assert re.findall(r"results\.[a-z_]+", page) == []


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "they are chosen from 30 answers, you have 2. 28 more answers are needed."),
        ("fr", "à partir de 30 réponses, vous en avez 2. Il manque encore 28 réponses."),
    ],
)
def test_too_few_customer_answers_name_no_priority(
    sample: dict[str, Any], locale: str, expected: str
) -> None:
    sample["priorities"], sample["priority_reasons"] = [], []
    sample["priority_evidence"] = {
        "customer_answers": 2,
        "min_customer_answers": 30,
        "answers_needed": 28,
        "enough": False,
    }
    for page in (
        render_results_fragment(sample, locale=locale),
        render_report_html(sample, locale=locale),
    ):
        visible = text_of(page)
        assert expected in visible
        assert translate("results.priorities.chosen", locale) not in visible
        assert translate("results.quadrant.concentrate_here.title", locale) not in visible
