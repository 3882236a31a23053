"""Network exports without a database: the ANX structural check, the pictures, and how
`graphvc load-network` reads a GraphML or GEXF file that names its people by an id attribute."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graphvc.cli.export import EXPORT_FORMATS
from graphvc.exports import FORMATS, anx_bytes, check_anx, svg_text
from graphvc.exports.graphml import gexf_bytes, graphml_bytes
from loaders.network_files import network_tables, read_network


def _network() -> nx.MultiDiGraph:
    """Two people, a gang tie of weight 3, an incident (dated) and its place."""
    G = nx.MultiDiGraph()
    G.add_node("P1", id="P1", labels="Person", label="P1", sex="F")
    G.add_node("P2", id="P2", labels="Person", label="P2")
    G.add_node("I1", id="I1", labels="Incident", label="I1", occurred_at="2024-07-01T12:00:00Z")
    G.add_node("L1", id="L1", labels="Location", label="L1", latitude=51.5)
    G.add_edge("P1", "P2", type="ASSOCIATE_OF", weight=3.0, association="gang")
    G.add_edge("P1", "I1", type="OFFENDER_IN", weight=1.0, role="offender")
    G.add_edge("I1", "L1", type="OCCURRED_AT", weight=1.0)
    return G


def test_the_cli_offers_every_export_format() -> None:
    assert tuple(FORMATS) == EXPORT_FORMATS


def test_an_incident_is_dated_in_local_time() -> None:
    document = anx_bytes(_network()).decode("utf-8")
    assert check_anx(document) == []
    assert 'DateTime="2024-07-01T13:00:00"' in document  # 12:00 UTC is 13:00 in London
    assert 'Label="gang, weight 3"' in document and 'LineWidth="3"' in document


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            b'<IconStyle Type="Person"',
            b'<IconStyle Type="Vehicle"',
            "icon type 'Vehicle' is not declared",
        ),
        (b'End2Id="P2"', b'End2Id="P9"', "End2Id='P9' names no entity of the chart"),
        (b'Value="51.5"', b'Value="north"', "attribute 'latitude' 'north' is not a number"),
        (b'DateTime="2024-07-01T13:00:00"', b'DateTime="July"', "is not an xsd:dateTime"),
        (
            b'StrengthReference="Intelligence"',
            b'StrengthReference="Rumour"',
            "'Rumour' is not declared",
        ),
        (b'Rigorous="true"', b'Rigorous="yes"', "Rigorous='yes' is not true or false"),
        (b"<Link ", b"<End/><Link ", "exactly one End or one Link"),
        (b'EntityId="P2"', b'EntityId="P1"', "two entities share an EntityId"),
    ],
)
def test_the_anx_check_finds_what_is_wrong(old: bytes, new: bytes, problem: str) -> None:
    document = anx_bytes(_network())
    assert old in document
    problems = check_anx(document.replace(old, new, 1))
    assert any(problem in p for p in problems), problems


def test_the_anx_check_refuses_what_is_no_chart() -> None:
    assert check_anx("<Chart")[0].startswith("not XML")
    assert check_anx("<chart/>") == ["the root is 'chart', not Chart"]
    out_of_order = (
        '<Chart IdReferenceLinking="false" Rigorous="true">'
        "<ChartItemCollection/><EntityTypeCollection/></Chart>"
    )
    assert check_anx(out_of_order) == ["Chart: the collections are not in i2's order"]


def test_the_picture_is_seeded() -> None:
    G = _network()
    assert svg_text(G, seed=3) == svg_text(G, seed=3) != svg_text(G, seed=4)
    assert svg_text(G).count("<line ") == 3 and svg_text(G).count("<circle ") == 2


def test_an_explorer_graphml_of_before_reads_back_with_its_ids(tmp_path: Path) -> None:
    """The explorer's GraphML named nodes ``Person:P1`` and kept the id in an attribute, which
    load-network ignored: P1 came back as ``Person:P1``."""
    G = nx.MultiDiGraph()
    for person, hop in (("P1", 0), ("P6", 1), ("P7", 2)):
        G.add_node(f"Person:{person}", label="Person", id=person, hop=hop)
    G.add_edge("Person:P1", "Person:P6", type="ASSOCIATE_OF")
    G.add_edge("Person:P6", "Person:P7", type="ASSOCIATE_OF")
    path = tmp_path / "old.graphml"
    nx.write_graphml(G, path)
    read, notes, _ = read_network(path, "graphml")
    assert sorted(read) == ["P1", "P6", "P7"] and notes["named_by_id_attribute"] == 3
    made = network_tables(read, link_type="gang", source="test")
    pairs = made.tables["associations"][["person_a", "person_b"]].to_numpy().tolist()
    assert pairs == [["P1", "P6"], ["P6", "P7"]]
    assert "id" not in made.notes["ignored_node_attributes"]


@pytest.mark.parametrize("file_format", ["graphml", "gexf"])
def test_an_export_loads_its_people_and_their_ties_only(tmp_path: Path, file_format: str) -> None:
    path = tmp_path / f"net.{file_format}"
    G = _network()
    path.write_bytes(graphml_bytes(G) if file_format == "graphml" else gexf_bytes(G))
    read, notes, _ = read_network(path, file_format)
    assert sorted(read) == ["P1", "P2"]
    assert (notes["not_people_set_aside"], notes["ties_not_between_people"]) == (2, 2)
    made = network_tables(read, link_type="gang", source="test")
    ties = made.tables["associations"][["person_a", "person_b", "weight"]]
    assert ties.to_numpy().tolist() == [["P1", "P2", "3.0"]]
    assert made.tables["persons"]["sex"].fillna("-").tolist() == ["F", "-"]


def test_ids_that_repeat_do_not_name_the_nodes(tmp_path: Path) -> None:
    G = nx.Graph([("n0", "n1"), ("n1", "n2")])
    nx.set_node_attributes(G, {"n0": "A", "n1": "A", "n2": "B"}, "id")
    path = tmp_path / "repeat.graphml"
    nx.write_graphml(G, path)
    read, notes, _ = read_network(path, "graphml")
    assert sorted(read) == ["n0", "n1", "n2"] and "named_by_id_attribute" not in notes
