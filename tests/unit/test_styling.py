"""Styling rules: parsing and its errors, how rules apply (order, conditions, thresholds,
labels, sizes, icons), the legend, the per-user file, and the shipped default's look."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from graphvc.contract import CATEGORIES
from graphvc.errors import ConfigError, InputError
from graphvc.model import NODE_LABELS, RELATIONSHIP_TYPES
from graphvc.styling import (
    CONDITIONS,
    DEFAULT_STYLING,
    ICONS,
    LINK_STYLE,
    NODE_PROPERTIES,
    NODE_STYLE,
    SHAPES,
    apply_styling,
    icon_uri,
    load_styling,
    parse_styling,
    save_styling,
    user_styling_path,
)

#: Two people and an incident, as the explorer's chart hands them to the rules.
RECORDS = [
    {"label": "Person", "id": "P1", "caption": "P1", "role": "offender", "score_priority": 0.8,
     "score_priority_rank": 1},
    {"label": "Person", "id": "P2", "caption": "P2", "role": "victim", "score_priority": 0.2,
     "score_priority_rank": None},
    {"label": "Incident", "id": "I1", "caption": "I1", "category": "knife_enabled",
     "date": "2024-01-05", "category_name": "knife enabled", "harm": 365.0},
]  # fmt: skip
LINKS = [
    {"type": "OFFENDER_IN", "on_path": False},
    {"type": "VICTIM_IN", "on_path": True},
]


def rules(text: str):
    return parse_styling(text, "test.toml")


# --- parsing and validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules = [", r"styling file test.toml is not valid TOML"),
        ('title = "x"', r"test.toml: no \[\[rules\]\] in it"),
        ('colours = 1\n[[rules]]\nname="a"\nnodes="*"', r"test.toml: colours is not a key"),
        ('[[rules]]\nnodes = "Person"', r"rule 1 None: name is missing"),
        ('[[rules]]\nname = "a"', r"rule 1 'a': nodes/links must be given"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nlinks = "*"', r"rule 1 'a': nodes/links must be"),
        ('[[rules]]\nname = "a"\nnodes = "Gang"', r"rule 1 'a': nodes 'Gang' is not '\*' or one"),
        ('[[rules]]\nname = "a"\nlinks = "KNOWS"', r"rule 1 'a': links 'KNOWS' is not"),
        ('[[rules]]\nname = "a"\nnodes = "*"\ncolor = "#fff"', r"'a': color is not a key of a"),
        ('[[rules]]\nname = "a"\nlinks = "*"\nshape = "dot"', r"'a': shape is not a key of a rule on links"),
        ('[[rules]]\nname = "a"\nnodes = "*"\ncolour = "red"', r"colour 'red' is not a colour written"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nsize = -3', r"'a': size -3 is not above 0"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nsize = "big"', r"'a': size 'big' is not a number"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nshape = "blob"', r"shape 'blob' is not one of dot"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nicon = "car"', r"icon 'car' is not one of person"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nsize_by = "age"', r"size_by 'age' is not 'chosen'"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nsize_range = [40, 10]', r"the smallest is above"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nlabel = "{nmae}"', r"label '\{nmae\}' names \{nmae\}"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nwhere = { age = 3 }', r"where.age names no property"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nwhere = { hop = { near = 1 } }', r"where.hop.near is not a condition"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nwhere = { hop = { above = "x" } }', r"where.hop.above 'x' is not a number"),
        ('[[rules]]\nname = "a"\nnodes = "*"\nwhere = { harm = { exists = 1 } }', r"where.harm.exists 1 is not true or false"),
        ('[[rules]]\nname = "a"\nnodes = "*"\n[[rules]]\nname = "a"\nnodes = "*"', r"rule name\(s\) a used twice"),
        ('[chart]\nfont_size = "big"\n[[rules]]\nname = "a"\nnodes = "*"', r"\[chart\]: font_size 'big' is not a whole"),
        ('[chart]\nzoom = 2\n[[rules]]\nname = "a"\nnodes = "*"', r"\[chart\]: zoom is not a chart setting"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_file_rule_and_key(text: str, message: str) -> None:
    with pytest.raises((ConfigError, InputError), match=message):
        rules(text)


def test_the_second_rule_is_named_by_number_and_name() -> None:
    text = '[[rules]]\nname = "ok"\nnodes = "*"\n[[rules]]\nname = "bad"\nnodes = "*"\nwidth = 2'
    with pytest.raises(ConfigError, match=r"^styling file test.toml: rule 2 'bad': width is not"):
        rules(text)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"styling file .*absent.toml cannot be read"):
        load_styling(tmp_path / "absent.toml")


# --- applying rules --------------------------------------------------------------------------


def test_later_rules_override_earlier_ones_and_conditions_select() -> None:
    styled = apply_styling(
        rules("""
[[rules]]
name = "everyone"
nodes = "*"
colour = "#111111"
shape = "square"
[[rules]]
name = "people"
nodes = "Person"
colour = "#222222"
shape = "dot"
[[rules]]
name = "offenders"
nodes = "Person"
where = { role = ["offender", "suspect"] }
colour = "#333333"
"""),
        RECORDS,
        LINKS,
    )
    drawn = [(n["color"]["background"], n["shape"]) for n in styled.nodes]
    assert drawn == [("#333333", "dot"), ("#222222", "dot"), ("#111111", "square")]


@pytest.mark.parametrize(
    ("where", "matched"),
    [
        ("{ score_priority = { at_least = 0.8 } }", ["P1"]),
        ("{ score_priority = { above = 0.8 } }", []),
        ("{ score_priority = { below = 0.8 } }", ["P2"]),
        ("{ score_priority = { at_most = 0.8, above = 0.1 } }", ["P1", "P2"]),
        ("{ score_priority_rank = { exists = true } }", ["P1"]),
        ("{ score_priority_rank = { exists = false } }", ["P2", "I1"]),
        ("{ category = \"knife_enabled\" }", ["I1"]),
        ("{ category = { in = [\"gun_enabled\", \"knife_enabled\"] } }", ["I1"]),
        ("{ role = \"victim\", score_priority = { at_least = 0.5 } }", []),
        ("{ harm = { at_least = 365 } }", ["I1"]),
    ],
)  # fmt: skip
def test_conditions_and_thresholds(where: str, matched: list[str]) -> None:
    styling = rules(f'[[rules]]\nname = "hit"\nnodes = "*"\nwhere = {where}\ncolour = "#ff0000"')
    styled = apply_styling(styling, RECORDS, [])
    red = [n["color"]["background"] == "#ff0000" for n in styled.nodes]
    hits = [record["id"] for record, hit in zip(RECORDS, red, strict=True) if hit]
    assert hits == matched
    assert styled.legend == []  # no legend text, no legend entry


def test_a_label_naming_a_missing_value_leaves_the_earlier_label() -> None:
    styled = apply_styling(
        rules("""
[[rules]]
name = "id"
nodes = "*"
label = "{caption}"
[[rules]]
name = "ranked"
nodes = "Person"
label = "{caption} #{score_priority_rank}"
[[rules]]
name = "incident"
nodes = "Incident"
label = "{date} {category_name} ({harm:,.0f} days)"
"""),
        RECORDS,
        [],
    )
    assert [n["label"] for n in styled.nodes] == [
        "P1 #1",
        "P2",
        "2024-01-05 knife enabled (365 days)",
    ]


def test_sizes_scale_by_the_chosen_score_over_the_shown_nodes() -> None:
    styling = rules("""
[[rules]]
name = "people"
nodes = "Person"
size = 14
size_by = "chosen"
size_range = [10, 40]
[[rules]]
name = "incidents"
nodes = "Incident"
size = 12
""")
    sizes = [n["size"] for n in apply_styling(styling, RECORDS, []).nodes]
    # The largest priority shown (0.8) gets 40; 0.2 is a quarter of the way: 10 + 30 / 4.
    assert sizes == [pytest.approx(40.0), pytest.approx(17.5), 12.0]
    records = [r | {"score_priority": None} for r in RECORDS]
    assert [n["size"] for n in apply_styling(styling, records, []).nodes] == [14.0, 14.0, 12.0]


def test_an_icon_draws_an_svg_image_in_the_rule_colour() -> None:
    styling = rules('[[rules]]\nname = "p"\nnodes = "Person"\nicon = "person"\ncolour = "#abcdef"')
    node = apply_styling(styling, RECORDS[:1], []).nodes[0]
    assert node["shape"] == "image"
    assert node["image"] == icon_uri("person", "#abcdef")
    svg = base64.b64decode(node["image"].split(",", 1)[1]).decode()
    assert 'fill="#abcdef"' in svg and svg.startswith("<svg")


def test_links_by_type_and_path_and_the_legend_counts_what_matched() -> None:
    styling = rules("""
[[rules]]
name = "link"
links = "*"
colour = "#bbbbbb"
[[rules]]
name = "offending"
links = "OFFENDER_IN"
colour = "#d62728"
legend = "offender in"
group = "Links"
[[rules]]
name = "path"
links = "*"
where = { on_path = true }
colour = "#ffbf00"
width = 5
dashes = true
legend = "shortest connection"
""")
    styled = apply_styling(styling, [], LINKS)
    assert styled.links == [
        {"color": "#d62728", "width": 1, "dashes": False},
        {"color": "#ffbf00", "width": 5, "dashes": True},
    ]
    assert [(e.group, e.text, e.count, e.style["colour"]) for e in styled.legend] == [
        ("Links", "offender in", 1, "#d62728"),
        ("Links", "shortest connection", 1, "#ffbf00"),
    ]


def test_a_legend_swatch_takes_the_shape_of_the_rules_it_builds_on() -> None:
    styling = rules("""
[[rules]]
name = "incidents"
nodes = "Incident"
shape = "square"
[[rules]]
name = "knives"
nodes = "Incident"
where = { category = "knife_enabled" }
colour = "#cb181d"
legend = "knife enabled"
""")
    (entry,) = apply_styling(styling, RECORDS, []).legend
    assert (entry.style["shape"], entry.style["colour"], entry.count) == ("square", "#cb181d", 1)


# --- the shipped default -----------------------------------------------------------------------


def test_the_default_is_todays_look() -> None:
    styling = load_styling()
    assert styling.source == str(DEFAULT_STYLING)
    styled = apply_styling(
        styling, [*RECORDS, {"label": "Ward", "id": "E05", "name": "Aldersgate"}], LINKS
    )
    colours = [n["color"]["background"] for n in styled.nodes]
    assert colours == ["#d62728", "#1f77b4", "#cb181d", "#74c476"]
    assert [n["shape"] for n in styled.nodes] == ["dot", "dot", "square", "diamond"]
    assert [n["label"] for n in styled.nodes] == [
        "P1\npriority #1",
        "P2",
        "I1\n2024-01-05 knife enabled",
        "Aldersgate",
    ]
    assert [link["color"] for link in styled.links] == ["#d62728", "#ffbf00"]
    groups = {e.group for e in styled.legend}
    assert groups == {
        "People (dots, sized by score)",
        "Incidents (squares)",
        "Places",
        "Links",
        "Marks",
    }


def test_the_default_has_a_legend_entry_for_every_category_and_role_and_styles_every_label() -> (
    None
):
    styling = load_styling()
    entries = {e.text for e in apply_styling(styling, [], []).legend}
    assert {c.replace("_", " ") for c in CATEGORIES} <= entries
    roles = {rel.lower().replace("_", " ") for rel in RELATIONSHIP_TYPES if rel.endswith("_IN")}
    assert roles <= entries
    styled = {t for r in styling.rules if r.kind == "nodes" for t in r.targets}
    assert styled == {"Person", "Incident", "Location", "Ward", "Borough"} <= set(NODE_LABELS)


def test_a_ranked_person_with_no_incident_shown_is_not_coloured_as_unknown() -> None:
    person = {"label": "Person", "id": "P6", "caption": "P6", "role": "no incident shown"}
    ranked, unranked = apply_styling(
        load_styling(), [person | {"score_priority_rank": 4}, person], []
    ).nodes
    assert ranked["color"]["background"] != unranked["color"]["background"] == "#9ecae1"


# --- saved per user ----------------------------------------------------------------------------


def test_each_user_has_a_file_named_by_a_hash(tmp_path: Path) -> None:
    mine, theirs = user_styling_path(tmp_path, "ana@force.uk"), user_styling_path(tmp_path, "bo")
    assert mine != theirs and mine.parent == tmp_path / "styling"
    assert "ana" not in mine.name and mine == user_styling_path(tmp_path, "ana@force.uk")


def test_save_writes_only_valid_rules(tmp_path: Path) -> None:
    path = user_styling_path(tmp_path, "ana")
    text = '[[rules]]\nname = "p"\nnodes = "Person"\ncolour = "#000000"\n'
    assert save_styling(path, text).rules[0].style == {"colour": "#000000"}
    assert load_styling(path).rules[0].name == "p"
    with pytest.raises(ConfigError, match="colour 'black'"):
        save_styling(path, text.replace("#000000", "black"))
    assert path.read_text(encoding="utf-8") == text


# --- the documentation -------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "guide" / "styling.md"


def test_the_documented_example_reads_and_every_key_is_documented() -> None:
    page = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", page, re.DOTALL).group(1)
    assert [r.name for r in parse_styling(example, "docs").rules] == [
        "person",
        "top twenty",
        "knife or gun",
        "associations",
    ]
    for names in (NODE_STYLE, LINK_STYLE, CONDITIONS, NODE_PROPERTIES, ICONS, SHAPES):
        missing = [n for n in names if not re.search(rf"`[^`\n]*\b{n}\b[^`\n]*`", page)]
        assert not missing
