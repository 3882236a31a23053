"""An exported network as GraphML and as GEXF (Gephi), written by networkx.

Both keep every node's id (the XML id of the node), its ``labels``, caption and properties,
and every link's ``type`` (in GEXF: ``relationship``) and ``weight``: :func:`networkx.read_graphml`,
:func:`networkx.read_gexf` and ``graphvc load-network`` read back the same nodes, links and
weights (``tests/integration/test_exports.py``).
"""

from __future__ import annotations

import networkx as nx

__all__ = ["gexf_bytes", "graphml_bytes"]


def graphml_bytes(G: nx.MultiDiGraph) -> bytes:
    """``G`` as GraphML (UTF-8): node ids are ``G`` 's node keys, attributes typed keys.

    >>> G = nx.MultiDiGraph([("P1", "P6", {"type": "ASSOCIATE_OF", "weight": 2.0})])
    >>> back = nx.parse_graphml(graphml_bytes(G))
    >>> [(u, v, d["type"], d["weight"]) for u, v, d in back.edges(data=True)]
    [('P1', 'P6', 'ASSOCIATE_OF', 2.0)]
    """
    return ("\n".join(nx.generate_graphml(G, named_key_ids=True)) + "\n").encode("utf-8")


def gexf_bytes(G: nx.MultiDiGraph) -> bytes:
    """``G`` as GEXF 1.2 (UTF-8), as Gephi opens it: a node's ``label`` is its caption.

    GEXF gives an edge's ``type`` a meaning of its own (directed, undirected or mutual), so a
    link's type is written as its ``relationship``.

    >>> import io
    >>> G = nx.MultiDiGraph([("P1", "P6", {"type": "ASSOCIATE_OF", "weight": 2.0})])
    >>> back = nx.read_gexf(io.BytesIO(gexf_bytes(G)))
    >>> [(u, v, d["relationship"], d["weight"]) for u, v, d in back.edges(data=True)]
    [('P1', 'P6', 'ASSOCIATE_OF', 2.0)]
    """
    H = G.copy()
    for _, _, data in H.edges(data=True):
        data["relationship"] = data.pop("type", None)
    return ("\n".join(nx.generate_gexf(H)) + "\n").encode("utf-8")
