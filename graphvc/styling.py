"""Styling rules: how a network chart draws each node and link, declared as data.

A styling file (TOML) holds a ``[chart]`` table (label size, the zoom below which labels
hide, the layout's seed) and ``[[rules]]``, each naming the nodes (by label) or links (by
relationship type) it styles, an optional ``where`` on their properties (a value, a list of
values, or thresholds) and what it sets: colour, size, shape, icon, label. Every rule that
matches applies, in the file's order, so a later rule overrides what an earlier one set
(Neo4j Bloom's rule-based styling, i2 Analyst's Notebook's conditional formatting). Rules
with a ``legend`` text draw the chart's legend. The shipped default,
``graphvc/data/styling.toml``, is the explorer's look; docs/guide/styling.md documents every
key. This module knows no Streamlit and no Neo4j: it turns records into vis-network styles.
"""

from __future__ import annotations

import hashlib
import math
import re
import string
import tomllib
from base64 import b64encode
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from graphvc.errors import ConfigError, InputError
from graphvc.model import NODE_LABELS, RELATIONSHIP_TYPES

__all__ = [
    "DEFAULT_STYLING",
    "ICONS",
    "LINK_PROPERTIES",
    "NODE_PROPERTIES",
    "SHAPES",
    "Chart",
    "LegendEntry",
    "Rule",
    "Styled",
    "Styling",
    "apply_styling",
    "icon_uri",
    "legend_entries",
    "load_styling",
    "parse_styling",
    "save_styling",
    "user_styling_path",
]

#: The shipped rules: the explorer's look.
DEFAULT_STYLING = resources.files("graphvc") / "data" / "styling.toml"
#: What a ``where`` or a label may name on a node: its columns in the explorer
#: (:data:`graphvc.explore.NODE_FIELDS`, ``hop``) and what the chart derives from the links shown
#: (``role``, ``centre``, ``on_path``) and for reading (``caption``, ``date``, ``category_name``).
NODE_PROPERTIES = (
    "label",
    "id",
    "caption",
    "category",
    "category_name",
    "harm",
    "name",
    "occurred_at",
    "date",
    "score_priority",
    "score_priority_rank",
    "score_betweenness",
    "hop",
    "role",
    "centre",
    "on_path",
)
#: What a ``where`` or a label may name on a link.
LINK_PROPERTIES = ("type", "on_path")
#: The vis-network shapes whose size a rule sets (an ``icon`` draws an image instead).
SHAPES = ("dot", "square", "triangle", "triangleDown", "diamond", "star", "hexagon")
#: The icons a rule may draw, as SVG bodies on a 24 x 24 grid filled with the rule's colour.
ICONS = {
    "person": '<circle cx="12" cy="7" r="5"/><path d="M2 23c0-6 4.5-9 10-9s10 3 10 9z"/>',
    "incident": '<path d="M12 1 23 22H1z"/><path d="M11 8h2v7h-2zM11 17h2v2h-2z" fill="#fff"/>',
    "location": '<path d="M12 1a8 8 0 0 0-8 8c0 6 8 14 8 14s8-8 8-14a8 8 0 0 0-8-8z"/>'
    '<circle cx="12" cy="9" r="3" fill="#fff"/>',
    "ward": '<path d="M12 1 22 6.5v11L12 23 2 17.5v-11z"/>',
    "borough": '<path d="M3 23V9l5-3v4l5-3v4l5-3v15z"/><path d="M20 23V3h2v20z"/>',
    "weapon": '<path d="M2 21 16 7l3 3L5 24zM16 7l4-6 3 3-6 4z"/>',
}
#: Conditions of a ``where`` written as a table.
CONDITIONS = ("equals", "in", "at_least", "above", "at_most", "below", "exists")
NODE_STYLE = (
    "colour",
    "border_colour",
    "border_width",
    "size",
    "size_by",
    "size_range",
    "shape",
    "icon",
    "label",
    "font_size",
)
LINK_STYLE = ("colour", "width", "dashes", "label", "font_size")
RULE_KEYS = ("name", "nodes", "links", "where", "legend", "group")
CHART_KEYS = ("font_size", "hide_labels_below", "layout_seed")
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


@dataclass(frozen=True)
class Chart:
    """Settings of the whole chart: labels ``font_size`` pixels high at zoom 1, hidden when
    zoomed out so far that they would be drawn under ``hide_labels_below`` pixels, and the
    seed of the layout (the same seed and network give the same picture)."""

    font_size: int = 18
    hide_labels_below: int = 9
    layout_seed: int = 7


@dataclass(frozen=True)
class Rule:
    """One styling rule: ``kind`` ``"nodes"`` or ``"links"``, the labels or types it styles
    (empty for all), its conditions as (property, test, value), what it sets, and its legend
    entry (``legend`` text under the ``group`` heading; none when ``legend`` is empty)."""

    name: str
    kind: str
    targets: frozenset[str]
    where: tuple[tuple[str, str, Any], ...]
    style: Mapping[str, Any]
    legend: str = ""
    group: str = ""

    def matches(self, kind: str, record: Mapping[str, Any]) -> bool:
        """True when the rule styles this node or link (``record`` holds its properties)."""
        if kind != self.kind:
            return False
        target = record.get("label" if kind == "nodes" else "type")
        if self.targets and target not in self.targets:
            return False
        return all(_holds(_present(record.get(p)), test, v) for p, test, v in self.where)


@dataclass(frozen=True)
class Styling:
    """A parsed styling file: its rules in order, the chart settings, and where it came from."""

    rules: tuple[Rule, ...]
    chart: Chart = field(default_factory=Chart)
    title: str = ""
    source: str = ""


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: its group heading, text, swatch style and how many of the
    chart's nodes or links the rule matched."""

    group: str
    text: str
    kind: str
    style: Mapping[str, Any]
    count: int


@dataclass(frozen=True)
class Styled:
    """Nodes and links as vis-network items, and the legend of the rules that drew them."""

    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]
    legend: list[LegendEntry]


def _present(value: Any) -> Any:
    """``value``, or None when it is missing (None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _holds(value: Any, test: str, wanted: Any) -> bool:
    if test == "exists":
        return bool((value is not None) == wanted)
    if value is None:
        return False
    if test == "equals":
        return bool(value == wanted)
    if test == "in":
        return bool(value in wanted)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return bool(
        {
            "at_least": value >= wanted,
            "above": value > wanted,
            "at_most": value <= wanted,
            "below": value < wanted,
        }[test]
    )


class _Checker:
    """Checks one rule's values, naming the file, rule and key in every error."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.where}: {key} {message}")

    def number(self, key: str, value: Any, *, positive: bool = True) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.fail(key, f"{value!r} is not a number")
        if positive and value <= 0:
            raise self.fail(key, f"{value!r} is not above 0")
        return float(value)

    def colour(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise self.fail(key, f"{value!r} is not a colour written like '#d62728'")
        return value

    def template(self, key: str, value: Any, known: Sequence[str]) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"{value!r} is not text")
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(value) if n is not None]
        except ValueError as e:
            raise self.fail(key, f"{value!r} is not a label template: {e}") from None
        for name in names:
            if name not in known:
                raise self.fail(key, f"{value!r} names {{{name}}}: not one of {', '.join(known)}")
        return value


def _style(check: _Checker, kind: str, key: str, value: Any) -> Any:
    """One style value of a rule, checked."""
    known = NODE_PROPERTIES if kind == "nodes" else LINK_PROPERTIES
    if key in ("colour", "border_colour"):
        return check.colour(key, value)
    if key in ("size", "border_width", "width", "font_size"):
        return check.number(key, value, positive=key != "border_width")
    if key == "size_by":
        numeric = [p for p in known if p.startswith("score_") or p in ("harm", "hop")]
        if value != "chosen" and value not in numeric:
            raise check.fail(key, f"{value!r} is not 'chosen' or one of {', '.join(numeric)}")
        return value
    if key == "size_range":
        if not isinstance(value, list) or len(value) != 2:
            raise check.fail(key, f"{value!r} is not [smallest, largest]")
        low, high = (check.number(key, v) for v in value)
        if low > high:
            raise check.fail(key, f"{value!r}: the smallest is above the largest")
        return (low, high)
    if key == "shape":
        if value not in SHAPES:
            raise check.fail(key, f"{value!r} is not one of {', '.join(SHAPES)}")
        return value
    if key == "icon":
        if value not in ICONS:
            raise check.fail(key, f"{value!r} is not one of {', '.join(ICONS)}")
        return value
    if key == "dashes":
        if not isinstance(value, bool):
            raise check.fail(key, f"{value!r} is not true or false")
        return value
    return check.template(key, value, known)


def _condition(check: _Checker, kind: str, prop: str, value: Any) -> list[tuple[str, str, Any]]:
    known = NODE_PROPERTIES if kind == "nodes" else LINK_PROPERTIES
    key = f"where.{prop}"
    if prop not in known:
        raise check.fail(key, f"names no property of {kind}: one of {', '.join(known)}")
    if isinstance(value, list):
        return [(prop, "in", tuple(value))]
    if not isinstance(value, dict):
        return [(prop, "equals", value)]
    if not value:
        raise check.fail(key, "is an empty table: give one of " + ", ".join(CONDITIONS))
    found = []
    for test, wanted in value.items():
        if test not in CONDITIONS:
            raise check.fail(f"{key}.{test}", "is not a condition: one of " + ", ".join(CONDITIONS))
        if test == "exists" and not isinstance(wanted, bool):
            raise check.fail(f"{key}.{test}", f"{wanted!r} is not true or false")
        if test == "in" and not isinstance(wanted, list):
            raise check.fail(f"{key}.{test}", f"{wanted!r} is not a list")
        if test in ("at_least", "above", "at_most", "below"):
            wanted = check.number(f"{key}.{test}", wanted, positive=False)
        found.append((prop, test, tuple(wanted) if test == "in" else wanted))
    return found


def _rule(raw: Any, number: int, source: str) -> Rule:
    if not isinstance(raw, dict):
        raise ConfigError(f"styling file {source}: rule {number} is not a table")
    name = raw.get("name")
    check = _Checker(f"styling file {source}: rule {number} {name!r}")
    if not isinstance(name, str) or not name.strip():
        raise check.fail("name", "is missing: give every rule a name")
    kinds = [k for k in ("nodes", "links") if k in raw]
    if len(kinds) != 1:
        raise check.fail("nodes/links", "must be given, one of them: what the rule styles")
    kind = kinds[0]
    allowed = NODE_STYLE if kind == "nodes" else LINK_STYLE
    for key in raw:
        if key not in RULE_KEYS and key not in allowed:
            raise check.fail(key, f"is not a key of a rule on {kind}: " + ", ".join(allowed))
    listed = raw[kind] if isinstance(raw[kind], list) else [raw[kind]]
    universe = NODE_LABELS if kind == "nodes" else RELATIONSHIP_TYPES
    for target in listed:
        if target != "*" and target not in universe:
            raise check.fail(kind, f"{target!r} is not '*' or one of {', '.join(universe)}")
    where = raw.get("where", {})
    if not isinstance(where, dict):
        raise check.fail("where", f"{where!r} is not a table of property = condition")
    conditions = [c for prop, v in where.items() for c in _condition(check, kind, prop, v)]
    style = {k: _style(check, kind, k, v) for k, v in raw.items() if k in allowed}
    for key in ("legend", "group"):
        if not isinstance(raw.get(key, ""), str):
            raise check.fail(key, f"{raw[key]!r} is not text")
    return Rule(
        name=name,
        kind=kind,
        targets=frozenset(listed) - {"*"} if "*" not in listed else frozenset(),
        where=tuple(conditions),
        style=style,
        legend=raw.get("legend", ""),
        group=raw.get("group", ""),
    )


def _chart(raw: Any, source: str) -> Chart:
    if not isinstance(raw, dict):
        raise ConfigError(f"styling file {source}: [chart] is not a table")
    check = _Checker(f"styling file {source}: [chart]")
    for key, value in raw.items():
        if key not in CHART_KEYS:
            raise check.fail(key, "is not a chart setting: one of " + ", ".join(CHART_KEYS))
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise check.fail(key, f"{value!r} is not a whole number of 0 or more")
    return Chart(**raw)


def parse_styling(text: str, source: str = "<text>") -> Styling:
    """Read styling rules from TOML ``text``; ``source`` names it in errors.

    Raises :class:`InputError` when the text is not TOML, and :class:`ConfigError` naming
    the file, the rule (number and name) and the key when a rule is not valid.

    Examples
    --------
    >>> styling = parse_styling('''
    ... [[rules]]
    ... name = "people"
    ... nodes = "Person"
    ... colour = "#1f77b4"
    ... [[rules]]
    ... name = "high priority"
    ... nodes = "Person"
    ... where = { score_priority = { at_least = 0.5 } }
    ... colour = "#d62728"
    ... ''')
    >>> [rule.name for rule in styling.rules], styling.chart.font_size
    (['people', 'high priority'], 18)
    >>> parse_styling('[[rules]]\\nname = "x"\\nnodes = "Person"\\ncolour = "red"', "mine.toml")
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: styling file mine.toml: rule 1 'x': colour 'red' is not a colour written like '#d62728'
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"styling file {source} is not valid TOML: {e}") from None
    for key in raw:
        if key not in ("title", "chart", "rules"):
            raise ConfigError(f"styling file {source}: {key} is not a key (title, chart, rules)")
    listed = raw.get("rules")
    if not isinstance(listed, list) or not listed:
        raise ConfigError(f"styling file {source}: no [[rules]] in it")
    rules = tuple(_rule(r, i + 1, source) for i, r in enumerate(listed))
    names = [r.name for r in rules]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"styling file {source}: rule name(s) {', '.join(repeated)} used twice")
    return Styling(rules, _chart(raw.get("chart", {}), source), str(raw.get("title", "")), source)


def load_styling(path: str | Path | None = None) -> Styling:
    """Read and check a styling file (default: the shipped look, :data:`DEFAULT_STYLING`).

    Raises :class:`InputError` when the file cannot be read or is not TOML, and
    :class:`ConfigError` as :func:`parse_styling` does.
    """
    source = Path(str(path if path is not None else DEFAULT_STYLING))
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"styling file {source} cannot be read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise InputError(f"styling file {source} is not UTF-8 text: {e}") from None
    return parse_styling(text, str(source))


def user_styling_path(home: Path, user: str) -> Path:
    """Where ``user``'s saved rules live under the graphvc home: a file named by a hash of
    their name, so that the folder lists no one's name."""
    digest = hashlib.sha256(user.encode("utf-8")).hexdigest()[:24]
    return home / "styling" / f"{digest}.toml"


def save_styling(path: Path, text: str) -> Styling:
    """Check the rules ``text`` and write them to ``path`` (replaced whole, never half
    written); the rules parsed. Raises as :func:`parse_styling` does, writing nothing."""
    styling = parse_styling(text, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".toml.tmp")
    staged.write_text(text, encoding="utf-8")
    staged.replace(path)
    return styling


def icon_uri(icon: str, colour: str) -> str:
    """The icon ``icon`` filled with ``colour``, as a data URI vis-network draws offline."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="{colour}">'
        f"{ICONS[icon]}</svg>"
    )
    return "data:image/svg+xml;base64," + b64encode(svg.encode("utf-8")).decode("ascii")


def _label(template: str, record: Mapping[str, Any]) -> str | None:
    """``template`` filled from ``record``; None when it names a missing value (or its
    format does not fit the value), so that an earlier rule's label stays."""
    values = {k: v for k, v in record.items() if _present(v) is not None}
    try:
        return template.format_map(values)
    except (KeyError, ValueError, TypeError):
        return None


def _cascade(rules: Iterable[Rule], kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The style every matching rule sets, later rules over earlier; a label whose template
    names a missing value leaves the earlier label in place."""
    style: dict[str, Any] = {}
    for rule in rules:
        if rule.matches(kind, record):
            for key, value in rule.style.items():
                if key == "label":
                    text = _label(value, record)
                    if text is not None:
                        style[key] = text
                else:
                    style[key] = value
    return style


def _size(
    style: Mapping[str, Any], record: Mapping[str, Any], largest: Mapping[str, float]
) -> float:
    by, size = style.get("size_by"), float(style.get("size", 14.0))
    if by is None:
        return size
    value = _present(record.get(by))
    low, high = (float(v) for v in style.get("size_range", (10.0, 40.0)))
    if not isinstance(value, int | float) or largest.get(by, 0.0) <= 0:
        return size
    return low + (high - low) * float(value) / largest[by]


def _node(style: Mapping[str, Any], record: Mapping[str, Any], size: float) -> dict[str, Any]:
    colour = style.get("colour", "#cccccc")
    node: dict[str, Any] = {
        "label": style.get("label", str(record.get("id", ""))),
        "shape": style.get("shape", "dot"),
        "color": {"background": colour, "border": style.get("border_colour", "#222222")},
        "borderWidth": style.get("border_width", 1),
        "size": size,
    }
    if "icon" in style:
        # The icon carries the colour; a white ground keeps the border (centre, path) seen.
        node |= {"shape": "image", "image": icon_uri(style["icon"], colour)}
        node["color"] = node["color"] | {"background": "#ffffff"}
        node["shapeProperties"] = {"useBorderWithImage": True}
    if "font_size" in style:
        node["font"] = {"size": style["font_size"]}
    return node


def _link(style: Mapping[str, Any]) -> dict[str, Any]:
    link: dict[str, Any] = {
        "color": style.get("colour", "#bbbbbb"),
        "width": style.get("width", 1),
        "dashes": style.get("dashes", False),
    }
    if "label" in style:
        link["label"] = style["label"]
    if "font_size" in style:
        link["font"] = {"size": style["font_size"]}
    return link


def apply_styling(
    styling: Styling,
    nodes: Sequence[Mapping[str, Any]],
    links: Sequence[Mapping[str, Any]],
    *,
    size_by: str = "score_priority",
) -> Styled:
    """Style ``nodes`` and ``links`` (records of :data:`NODE_PROPERTIES` and
    :data:`LINK_PROPERTIES`) by the rules; a rule's ``size_by = "chosen"`` sizes by ``size_by``.

    Returns the vis-network attributes of each node (``label``, ``shape``, ``color``,
    ``borderWidth``, ``size``, an ``image`` for an icon) and link (``color``, ``width``,
    ``dashes``), in the order given, and the legend (:func:`legend_entries`).

    Examples
    --------
    >>> styling = parse_styling('''
    ... [[rules]]
    ... name = "people"
    ... nodes = "Person"
    ... colour = "#1f77b4"
    ... label = "{id}"
    ... [[rules]]
    ... name = "ranked"
    ... nodes = "Person"
    ... where = { score_priority_rank = { at_most = 10 } }
    ... colour = "#d62728"
    ... label = "{id} #{score_priority_rank}"
    ... legend = "top ten"
    ... ''')
    >>> styled = apply_styling(styling, [
    ...     {"label": "Person", "id": "P1", "score_priority_rank": 3},
    ...     {"label": "Person", "id": "P2", "score_priority_rank": None},
    ... ], [])
    >>> [(n["label"], n["color"]["background"]) for n in styled.nodes]
    [('P1 #3', '#d62728'), ('P2', '#1f77b4')]
    >>> [(e.text, e.count) for e in styled.legend]
    [('top ten', 1)]
    """
    rules = [
        Rule(r.name, r.kind, r.targets, r.where, _chosen(r.style, size_by), r.legend, r.group)
        for r in styling.rules
    ]
    styles = [_cascade(rules, "nodes", record) for record in nodes]
    scaled = {s["size_by"] for s in styles if "size_by" in s}
    largest = {
        by: max(
            (float(v) for r in nodes if isinstance(v := _present(r.get(by)), int | float)),
            default=0.0,
        )
        for by in scaled
    }
    drawn = [
        _node(style, record, _size(style, record, largest))
        for style, record in zip(styles, nodes, strict=True)
    ]
    lines = [_link(_cascade(rules, "links", record)) for record in links]
    return Styled(drawn, lines, legend_entries(styling, nodes, links))


def _chosen(style: Mapping[str, Any], size_by: str) -> Mapping[str, Any]:
    if style.get("size_by") == "chosen":
        return {**style, "size_by": size_by}
    return style


def legend_entries(
    styling: Styling,
    nodes: Sequence[Mapping[str, Any]] = (),
    links: Sequence[Mapping[str, Any]] = (),
) -> list[LegendEntry]:
    """The legend: one entry per rule with a ``legend`` text, in the file's order, with its
    swatch (the rule's style over that of the earlier rules with no ``where`` on the same
    nodes or links) and how many of ``nodes`` or ``links`` it matches."""
    entries = []
    for number, rule in enumerate(styling.rules):
        if not rule.legend:
            continue
        swatch: dict[str, Any] = {}
        for earlier in styling.rules[:number]:
            covers = not earlier.targets or (rule.targets and rule.targets <= earlier.targets)
            if earlier.kind == rule.kind and not earlier.where and covers:
                swatch |= earlier.style
        swatch |= rule.style
        records = nodes if rule.kind == "nodes" else links
        count = sum(rule.matches(rule.kind, record) for record in records)
        group = rule.group or ("Nodes" if rule.kind == "nodes" else "Links")
        entries.append(LegendEntry(group, rule.legend, rule.kind, swatch, count))
    return entries
