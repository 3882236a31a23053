"""An exported network as an i2 Analyst's Notebook chart (ANX, the XML chart format i2 imports).

i2 publishes no schema for ANX that we could find, so a chart is checked structurally
(:func:`check_anx`) against the structure of public ANX files and writers: a ``Chart`` root
with ``IdReferenceLinking`` and ``Rigorous``; a ``StrengthCollection``, an
``AttributeClassCollection``, an ``EntityTypeCollection`` and a ``LinkTypeCollection`` that
declare every strength, attribute class, icon type and link type used; then a
``ChartItemCollection`` of ``ChartItem`` s, each holding either an ``End`` with an ``Entity``
(``EntityId``, ``Identity``, ``Icon``/``IconStyle Type``) or a ``Link`` (``End1Id``,
``End2Id``, ``LinkStyle Type``), with an ``AttributeCollection``, and ``DateSet``/``TimeSet``/
``DateTime`` where the item has a date. docs/guide/exports.md names the sources.

Entities take the icon type of their label (:data:`ICON_FILES`); links are labelled by the
person's role or the association's type and weight, in the strength of their evidence
(:data:`STRENGTHS`: recorded crime solid, intelligence dashed) and as wide as their weight;
incidents carry their date and time (local time, :data:`graphvc.contract.LOCAL_TIME_ZONE`).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import networkx as nx
import pandas as pd

from graphvc.contract import LOCAL_TIME_ZONE
from graphvc.exports.image import positions

__all__ = ["ICON_FILES", "LINK_TYPES", "STRENGTHS", "anx_bytes", "check_anx"]

#: A node's label -> the i2 icon its entity type draws.
ICON_FILES = {
    "Person": "Person",
    "Incident": "Event",
    "Location": "Address",
    "Ward": "Area",
    "Borough": "Area",
}
#: A relationship type -> the name of its i2 link type.
LINK_TYPES = {
    "OFFENDER_IN": "Offender in",
    "SUSPECT_IN": "Suspect in",
    "VICTIM_IN": "Victim in",
    "WITNESS_IN": "Witness in",
    "OCCURRED_AT": "Occurred at",
    "IN_WARD": "In ward",
    "IN_BOROUGH": "In borough",
    "ASSOCIATE_OF": "Associate of",
    "ASSESSED": "Assessed",
}
#: The strengths of a link (i2 draws them as line styles): what police records show, and
#: what intelligence reports (an association).
STRENGTHS = {"Recorded": "DotStyleSolid", "Intelligence": "DotStyleDashed"}
#: The chart's scale: layout coordinates (-1 to 1) times this, in i2's units.
_SCALE = 600
_ITEM_ATTRIBUTES = frozenset({"id", "labels", "label"})


def _attribute_type(value: Any) -> str:
    if isinstance(value, bool):
        return "AttFlag"
    if isinstance(value, int | float):
        return "AttNumber"
    return "AttText"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _local(timestamp: str) -> str | None:
    """An ISO date-time as i2's ``DateTime``: local time, to the second, no zone."""
    try:
        moment = pd.Timestamp(timestamp)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.tz_convert(LOCAL_TIME_ZONE).tz_localize(None)
    return str(moment.strftime("%Y-%m-%dT%H:%M:%S"))


def _attributes(parent: ET.Element, data: Mapping[str, Any], classes: dict[str, str]) -> None:
    shown = {k: v for k, v in sorted(data.items()) if k not in _ITEM_ATTRIBUTES}
    if not shown:
        return
    collection = ET.SubElement(parent, "AttributeCollection")
    for name, value in shown.items():
        classes.setdefault(name, _attribute_type(value))
        ET.SubElement(collection, "Attribute", AttributeClass=name, Value=_text(value))


def _link_label(data: Mapping[str, Any]) -> str:
    if data.get("type") == "ASSOCIATE_OF":
        return f"{data.get('association', 'associate')}, weight {_text(data.get('weight', 1.0))}"
    if data.get("role"):
        return str(data["role"])
    return LINK_TYPES.get(str(data.get("type")), str(data.get("type"))).lower()


def anx_bytes(G: nx.MultiDiGraph, *, seed: int = 0) -> bytes:
    """The chart of an exported network (:func:`graphvc.exports.network.export_graph`) as ANX
    (UTF-8 XML), laid out as :func:`graphvc.exports.image.positions` places it (seeded)."""
    where = positions(G, seed=seed)
    classes: dict[str, str] = {}
    entities = ET.Element("ChartItemCollection")
    for node, data in G.nodes(data=True):
        x, y = (round(c * _SCALE) for c in where[node])
        label = str(data.get("labels", "Person"))
        item = ET.SubElement(
            entities,
            "ChartItem",
            Label=str(data.get("label", node)),
            Description=f"{label} {data.get('id', node)}",
            XPosition=str(x),
            DateSet="false",
            TimeSet="false",
        )
        when = (
            _local(str(data["occurred_at"]))
            if label == "Incident" and "occurred_at" in data
            else None
        )
        if when is not None:
            item.set("DateSet", "true")
            item.set("TimeSet", "true")
            item.set("DateTime", when)
        end = ET.SubElement(item, "End", X=str(x), Y=str(y), Z="0")
        entity = ET.SubElement(
            end,
            "Entity",
            EntityId=str(node),
            Identity=str(data.get("id", node)),
            LabelIsIdentity="false",
        )
        ET.SubElement(ET.SubElement(entity, "Icon"), "IconStyle", Type=label)
        _attributes(item, data, classes)
    links = ET.Element("ChartItemCollection")
    for u, v, data in G.edges(data=True):
        kind = str(data.get("type"))
        weight = float(data.get("weight", 1.0))
        item = ET.SubElement(
            links, "ChartItem", Label=_link_label(data), DateSet="false", TimeSet="false"
        )
        link = ET.SubElement(item, "Link", End1Id=str(u), End2Id=str(v))
        ET.SubElement(
            link,
            "LinkStyle",
            Type=LINK_TYPES.get(kind, kind),
            ArrowStyle="ArrowNone" if kind == "ASSOCIATE_OF" else "ArrowOnHead",
            StrengthReference="Intelligence" if kind == "ASSOCIATE_OF" else "Recorded",
            LineWidth=str(max(1, min(5, math.ceil(weight)))),
        )
        _attributes(item, data, classes)
    chart = ET.Element(
        "Chart", IdReferenceLinking="false", Rigorous="true", UseLocalTimeZone="true"
    )
    strengths = ET.SubElement(chart, "StrengthCollection")
    for name, style in STRENGTHS.items():
        ET.SubElement(strengths, "Strength", Id=name, Name=name, DotStyle=style)
    declared = ET.SubElement(chart, "AttributeClassCollection")
    for name, kind in sorted(classes.items()):
        ET.SubElement(
            declared, "AttributeClass", Name=name, Type=kind, ShowValue="false", Visible="false"
        )
    types = ET.SubElement(chart, "EntityTypeCollection")
    for label in sorted({str(d.get("labels", "Person")) for _, d in G.nodes(data=True)}):
        ET.SubElement(
            types,
            "EntityType",
            Name=label,
            IconFile=ICON_FILES.get(label, "Person"),
            PreferredRepresentation="RepresentAsIcon",
        )
    link_types = ET.SubElement(chart, "LinkTypeCollection")
    for kind in sorted({str(d.get("type")) for _, _, d in G.edges(data=True)}):
        ET.SubElement(link_types, "LinkType", Name=LINK_TYPES.get(kind, kind), Colour="0")
    chart.extend([entities, links])
    ET.indent(chart)
    written: bytes = ET.tostring(chart, encoding="utf-8", xml_declaration=True)
    return written + b"\n"


_TOP_LEVEL = (
    "StrengthCollection",
    "AttributeClassCollection",
    "EntityTypeCollection",
    "LinkTypeCollection",
    "ChartItemCollection",
)
_BOOLEANS = ("true", "false")


def _declared(chart: ET.Element, collection: str, item: str, key: str) -> dict[str, ET.Element]:
    return {e.get(key, ""): e for e in chart.findall(f"{collection}/{item}")}


def _check_date(item: ET.Element, where: str) -> list[str]:
    problems = [
        f"{where}: {flag}={item.get(flag)!r} is not true or false"
        for flag in ("DateSet", "TimeSet")
        if item.get(flag) is not None and item.get(flag) not in _BOOLEANS
    ]
    if item.get("DateSet") == "true":
        when = item.get("DateTime", "")
        try:
            pd.Timestamp(when)
        except ValueError:
            problems.append(f"{where}: DateSet but DateTime {when!r} is not an xsd:dateTime")
        if "T" not in when:
            problems.append(f"{where}: DateSet but DateTime {when!r} is not an xsd:dateTime")
    return problems


def _check_attributes(item: ET.Element, classes: Mapping[str, ET.Element], where: str) -> list[str]:
    problems = []
    for attribute in item.findall("AttributeCollection/Attribute"):
        name, value = attribute.get("AttributeClass", ""), attribute.get("Value")
        declared = classes.get(name)
        if declared is None:
            problems.append(f"{where}: attribute class {name!r} is not declared")
        elif value is None:
            problems.append(f"{where}: attribute {name!r} has no Value")
        elif declared.get("Type") == "AttNumber":
            try:
                float(value)
            except ValueError:
                problems.append(f"{where}: attribute {name!r} {value!r} is not a number")
        elif declared.get("Type") == "AttFlag" and value not in _BOOLEANS:
            problems.append(f"{where}: attribute {name!r} {value!r} is not true or false")
    return problems


def _check_item(
    item: ET.Element, where: str, declared: Mapping[str, Mapping[str, ET.Element]], ends: set[str]
) -> list[str]:
    """One chart item: an entity (``End``) or a link (``Link``), never both."""
    end, link = item.find("End"), item.find("Link")
    if (end is None) == (link is None):
        return [f"{where}: a ChartItem holds exactly one End or one Link"]
    problems = _check_date(item, where) + _check_attributes(item, declared["classes"], where)
    if end is not None:
        entity = end.find("Entity")
        style = end.find("Entity/Icon/IconStyle")
        if entity is None or style is None:
            return [*problems, f"{where}: an End needs Entity/Icon/IconStyle"]
        if not entity.get("EntityId") or entity.get("Identity") is None:
            problems.append(f"{where}: an Entity needs EntityId and Identity")
        if style.get("Type") not in declared["entity_types"]:
            problems.append(f"{where}: icon type {style.get('Type')!r} is not declared")
        return problems
    assert link is not None
    for side in ("End1Id", "End2Id"):
        if link.get(side) not in ends:
            problems.append(f"{where}: {side}={link.get(side)!r} names no entity of the chart")
    link_style = link.find("LinkStyle")
    if link_style is None:
        return [*problems, f"{where}: a Link needs a LinkStyle"]
    if link_style.get("Type") not in declared["link_types"]:
        problems.append(f"{where}: link type {link_style.get('Type')!r} is not declared")
    strength = link_style.get("StrengthReference")
    if strength is not None and strength not in declared["strengths"]:
        problems.append(f"{where}: strength {strength!r} is not declared")
    return problems


def check_anx(document: bytes | str) -> list[str]:
    """What is wrong with an ANX chart, structurally (an empty list: nothing).

    Checks the root and its collections (known names, in i2's order), that every icon type,
    link type, strength and attribute class used is declared, that entity ids are unique and
    every link joins two entities of the chart, that each item is an entity or a link, and
    that flags, numbers and dates are well formed.

    >>> check_anx(anx_bytes(nx.MultiDiGraph([("P1", "I1", {"type": "OFFENDER_IN"})])))
    []
    >>> check_anx("<Chart><ChartItemCollection><ChartItem/></ChartItemCollection></Chart>")[:2]
    ['Chart: IdReferenceLinking=None is not true or false', 'Chart: Rigorous=None is not true or false']
    """
    try:
        chart = ET.fromstring(document)
    except ET.ParseError as e:
        return [f"not XML: {e}"]
    if chart.tag != "Chart":
        return [f"the root is {chart.tag!r}, not Chart"]
    problems = [
        f"Chart: {flag}={chart.get(flag)!r} is not true or false"
        for flag in ("IdReferenceLinking", "Rigorous")
        if chart.get(flag) not in _BOOLEANS
    ]
    order = [_TOP_LEVEL.index(c.tag) if c.tag in _TOP_LEVEL else -1 for c in chart]
    if -1 in order:
        problems.append(f"Chart: unknown element {[c.tag for c in chart][order.index(-1)]!r}")
    elif order != sorted(order):
        problems.append("Chart: the collections are not in i2's order")
    declared = {
        "classes": _declared(chart, "AttributeClassCollection", "AttributeClass", "Name"),
        "entity_types": _declared(chart, "EntityTypeCollection", "EntityType", "Name"),
        "link_types": _declared(chart, "LinkTypeCollection", "LinkType", "Name"),
        "strengths": _declared(chart, "StrengthCollection", "Strength", "Id"),
    }
    items = chart.findall("ChartItemCollection/ChartItem")
    ids = [e.get("EntityId", "") for e in chart.iter("Entity")]
    ends = set(ids)
    if len(ends) < len(ids):
        problems.append("Chart: two entities share an EntityId")
    for number, item in enumerate(items, start=1):
        problems += _check_item(item, f"ChartItem {number}", declared, ends)
    return problems
