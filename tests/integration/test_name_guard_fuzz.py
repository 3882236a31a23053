"""The name guard against every spelling of a read of a name, on the real Neo4j (issue 32).

Neo4j's parser reads a ``\\uXXXX`` escape as the character it stands for anywhere in a query:
in names and keywords, in punctuation, and at the ends of comments and strings. A guard that
reads the query's text can be walked past (``p.\\u006eame``); the plan cannot. This test is the
runner's hostile corpus for names: it generates escaped and re-spelled variants of every read
the guard refuses, runs each through :func:`run_stored_query` (the function behind
``graphvc query run --file`` and the app) on a graph of people with names, and asserts that
none returns a name and that each is refused in one line.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.errors import QueryError
from graphvc.queries import parse_query, run_stored_query
from graphvc.schema import wipe
from loaders.folder import load_folder

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"

HEADER = """// title: fuzz
// description: a read of a name, re-spelled
// team: all teams
// column x: anything
// mode: read
"""

#: Reads of every property of ``v``, or of its name, in each form the guard refuses.
READS: list[Callable[[str], str]] = [
    lambda v: f"{v}.name",
    lambda v: f"{v}.`name`",
    lambda v: f"properties({v})",
    lambda v: f"[k IN keys({v}) | {v}[k]]",
    lambda v: f"{v}{{.*}}",
    lambda v: f"{v}{{.name}}",
    lambda v: f"toUpper({v}.name)",
    lambda v: f"{{n: {v}.name}}",
]

#: Where a read of a person's property may hide: aliases, lists, subqueries, label
#: expressions, and a comment or string that ends earlier than its text seems to say.
CONTEXTS: list[Callable[[Callable[[str], str]], str]] = [
    lambda read: f"MATCH (p:Person) RETURN {read('p')} AS x",
    lambda read: f"MATCH (p:Person) WITH p AS q RETURN {read('q')} AS x",
    lambda read: f"MATCH (p:Person) WITH collect(p) AS ps UNWIND ps AS q RETURN {read('q')} AS x",
    lambda read: f"MATCH (p:Person) CALL (p) {{ RETURN {read('p')} AS y }} RETURN y AS x",
    lambda read: f"MATCH (p:Person) RETURN [q IN [p] | {read('q')}] AS x",
    lambda read: f"MATCH (l:Location|Person) RETURN {read('l')} AS x",
    lambda read: f"MATCH (l:Location) WITH l MATCH (p:Person) WITH p AS l RETURN {read('l')} AS x",
    lambda read: f"MATCH (l:Location), (p:Person) RETURN [l IN [p] | {read('l')}] AS x",
    lambda read: f"MATCH (p:Person) // a comment\\u000a RETURN {read('p')} AS x",
    lambda read: f"MATCH (p:Person) WITH p /* \\u002a/ RETURN {read('p')} AS x /* */",
]

#: Reads that hide in a string closed by an escaped quote, or call a plugin that is absent.
SPECIAL = [
    "MATCH (p:Person) RETURN '\\u0027 + p.name + '' AS x",
    "MATCH (p:Person) RETURN '\\u0027 + toString(properties(p)) + '' AS x",
    "MATCH (p:Person) RETURN apoc.map.values(p, keys(p)) AS x",
    "MATCH (p:Person) RETURN apoc.any.properties(p) AS x",
    "MATCH (p:Person) RETURN p['na' + 'me'] AS x",
    "MATCH (p:Person) WITH p, 'na' + 'me' AS k RETURN p[k] AS x",
    "MATCH (p:Person) RETURN COLLECT { MATCH (p) RETURN p.name } AS x",
    "MATCH (p:Person) RETURN [(p)-->(q) | q.name] AS x",
    "MATCH (p:Person) RETURN reduce(s = '', k IN keys(p) | s + toString(p[k])) AS x",
    "MATCH (p:Person) RETURN CASE WHEN true THEN p END.name AS x",
    "MATCH (p:Person) RETURN head(collect(p)).name AS x",
]

_TOKENS = re.compile(r"`[^`]*`|\\u[0-9a-fA-F]{4}|[A-Za-z_]\w*|\s+|.", re.S)
#: Keywords and function names, which Cypher reads in any case.
_KEYWORDS = set(
    [
        "match",
        "return",
        "with",
        "as",
        "unwind",
        "call",
        "in",
        "collect",
        "keys",
        "properties",
        "toupper",
        "tostring",
        "reduce",
        "case",
        "when",
        "then",
        "end",
        "head",
    ]
)
_ESCAPABLE = set(".*[]|{}():,")


def _escape(char: str, rng: random.Random) -> str:
    code = f"{ord(char):04x}"
    return "\\u" + (code.upper() if rng.random() < 0.3 else code)


def _word(word: str, rng: random.Random) -> str:
    if word.lower() in _KEYWORDS and rng.random() < 0.5:
        # Keywords and function names are case-insensitive.
        word = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)
    spelled = "".join(_escape(c, rng) if rng.random() < 0.4 else c for c in word)
    if word.lower() not in _KEYWORDS and rng.random() < 0.3:
        return f"`{spelled}`"
    return spelled


def _gap(rng: random.Random) -> str:
    return rng.choice([" ", "  ", "\n", " /* c */ ", "\t", " \\u0020"])


def respelled(query: str, rng: random.Random) -> str:
    """``query`` with a random choice of its letters and punctuation escaped, names in
    backticks, keywords in another case and spaces turned into comments."""
    out = []
    for token in _TOKENS.findall(query):
        if token.startswith(("`", "\\u")):
            out.append(token)
        elif token.isspace():
            out.append(_gap(rng) if rng.random() < 0.5 else token)
        elif re.fullmatch(r"[A-Za-z_]\w*", token):
            out.append(_word(token, rng))
        elif token in _ESCAPABLE and rng.random() < 0.3:
            out.append(_escape(token, rng))
        else:
            out.append(token)
        if token == "." and rng.random() < 0.2:
            out.append(_gap(rng))
    return "".join(out)


def variants(per_form: int = 4, seed: int = 32) -> list[str]:
    """Each context with each read, as written and re-spelled ``per_form`` times, then the
    special forms, each as written and re-spelled twice; no two the same."""
    rng = random.Random(seed)
    found: list[str] = []
    for context in CONTEXTS:
        for read in READS:
            query = context(read)
            found += [query, *(respelled(query, rng) for _ in range(per_form))]
    for query in SPECIAL:
        found += [query, respelled(query, rng), respelled(query, rng)]
    return list(dict.fromkeys(found))


VARIANTS = variants()


@pytest.fixture(scope="module")
def graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    load_folder(empty_graph, SMALL)
    return empty_graph


@pytest.fixture(scope="module")
def names(graph: neo4j.Driver) -> list[str]:
    found = run_query(graph, "MATCH (p:Person) WHERE p.name IS NOT NULL RETURN p.name AS name")
    assert len(found) >= 8
    return list(found["name"])


def _outcomes(graph: neo4j.Driver) -> Iterator[tuple[str, str, str]]:
    """Each variant, with what came of it: ``rows`` (and their JSON) or the error's message."""
    for text in VARIANTS:
        query = parse_query(HEADER + text, name="fuzz")
        try:
            frame = run_stored_query(graph, query, timeout=10)
        except QueryError as e:
            yield text, "error", str(e)
        else:
            yield text, "rows", json.dumps(frame.to_dict(orient="records"), default=str)


def test_the_fuzz_corpus_holds_hundreds_of_spellings() -> None:
    assert len(VARIANTS) >= 200
    assert sum("\\u" in text for text in VARIANTS) >= 200


def test_no_spelling_of_a_read_returns_a_name(graph: neo4j.Driver, names: list[str]) -> None:
    leaked, unclear, planned = [], [], 0
    for text, outcome, found in _outcomes(graph):
        if outcome == "rows":
            if any(name in found for name in names):
                leaked.append(text)
            continue
        if not found.startswith("Neo4j cannot plan the query"):
            planned += 1
            if not (found.startswith("refused: ") and "\n" not in found):
                unclear.append((text, found))
    assert not leaked, f"{len(leaked)} of {len(VARIANTS)} variants returned names: {leaked[:5]}"
    assert not unclear, unclear[:5]
    # The variants are real Cypher: most plan, so it is the guard that refuses them.
    assert planned >= 200, planned


@pytest.mark.parametrize("text", VARIANTS[::37])
def test_the_command_line_refuses_a_spelling_in_one_line(
    graph: neo4j.Driver, names: list[str], test_settings: Settings, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "mine.cypher"
    path.write_text(HEADER + text + "\n", encoding="utf-8")
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
    }
    result = CliRunner().invoke(cli, ["query", "run", "--file", str(path)], env=env)
    assert not any(name in result.stdout for name in names)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
