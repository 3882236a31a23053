"""The name guard: refuse, before anything runs, a query that could read a person's name.

The guard decides on the query's text alone (see :func:`identifying_reads` for its rule); it
is the only place that knows which properties identify a person and which labels are places.
"""

from __future__ import annotations

import re

from graphvc.contract import IDENTIFYING
from graphvc.queries.cypher_text import code_only

__all__ = ["PLACE_LABELS", "identifying_reads"]

#: Labels whose ``name`` is the name of a place, which a query may return.
PLACE_LABELS: tuple[str, ...] = ("Location", "Ward", "Borough")

#: Namespaces of Cypher's own functions; a function of any other (a plugin's) is refused.
_FUNCTION_NAMESPACES = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector"}
)
#: Words after which ``[`` opens a list, not a subscript.
#: Words after which ``[`` opens a list, not a subscript.
_KEYWORDS = frozenset(
    {
        "and",
        "as",
        "asc",
        "ascending",
        "by",
        "call",
        "case",
        "contains",
        "create",
        "delete",
        "desc",
        "descending",
        "detach",
        "distinct",
        "else",
        "end",
        "ends",
        "exists",
        "foreach",
        "in",
        "is",
        "limit",
        "match",
        "merge",
        "not",
        "null",
        "on",
        "optional",
        "or",
        "order",
        "remove",
        "return",
        "set",
        "skip",
        "starts",
        "then",
        "union",
        "unwind",
        "when",
        "where",
        "with",
        "xor",
        "yield",
    }
)
#: What a subscript may hold once ``range()`` variables are taken out: arithmetic on numbers.
_SAFE_INDEX = re.compile(r"[\s\d+\-*/%().]*")


def _unquoted(code: str) -> str:
    """``code`` with backticks taken off plain names: ``p.`name``` is ``p.name``."""
    return re.sub(r"`(\w+)`", r"\1", code)


def _bound_only_by(code: str, candidates: set[str], binding: str) -> set[str]:
    """Those of ``candidates`` bound by ``binding`` (a pattern with ``{v}`` in it) and never
    bound in any other way: ``AS v``, ``v IN``, ``v =``, ``[v``, ``YIELD ... v`` or a node
    pattern ``(v`` that ``binding`` does not match."""
    found = set()
    for variable in candidates:
        v = re.escape(variable)
        bound = binding.format(v=v)
        if not re.search(bound, code):
            continue
        others = [
            rf"(?i:\bAS)\s+{v}(?!\w)",
            rf"(?<![\w.$]){v}\s+(?i:IN)\b(?!\s+range\s*\()",
            rf"(?<![\w.$]){v}\s*=(?!~)",
            rf"(?:^|[^\w)\]}}\s])\s*\[\s*{v}(?!\w)(?!\s+(?i:IN)\s+range\s*\()",
            rf"(?i:\bYIELD)\b[^;]*?(?<![\w.$]){v}(?!\w)",
        ]
        if any(re.search(other, code) for other in others if not re.search(other, bound)):
            continue
        nodes = [m.start() for m in re.finditer(rf"\(\s*{v}(?!\w)", code)]
        if all(re.match(bound, code[start:]) for start in nodes):
            found.add(variable)
    return found


def identifying_reads(text: str) -> list[str]:
    """Why ``text`` could read a person's identifying property; empty when it cannot.

    The rule is decided on the query's code (comments and string literals removed, backticks
    taken off names) before anything runs. A query may read a property named as an
    identifying column of the contract (:data:`graphvc.contract.IDENTIFYING`: ``name``) only
    as ``v.name`` where ``v`` is bound only by node patterns with one place label
    (``(v:Location ...)``, ``(v:Ward ...)``, ``(v:Borough ...)``, :data:`PLACE_LABELS`) and in
    no other way (``AS v``, ``v IN``, ``v =``, ``[v``, ``YIELD v``, an unlabelled ``(v)``).
    And it may not read properties in any way that does not name them: ``keys()``,
    ``properties()``, ``v{.*}``, a subscript ``x[...]`` other than whole-number arithmetic on
    literals and ``range()`` variables, or a function of a plugin; nor name the key in a
    pattern or map (``{name: ...}``). The rule is stricter than it need be (``{name: w.name}``
    is refused too). It holds as long as no node is both a place and a Person, which the
    loaders never make.

    Examples
    --------
    >>> identifying_reads("MATCH (w:Ward) RETURN w.name AS ward_name")
    []
    >>> identifying_reads("MATCH (p:Person) RETURN p.`name` AS x")
    ["reads 'name' of 'p', which is not bound only as a place"]
    >>> identifying_reads("MATCH (p:Person) RETURN [k IN keys(p) | p[k]] AS x")
    ['reads properties by their keys (keys())', 'reads a property by a computed key (p[k])']
    """
    code = _unquoted(code_only(text))
    problems: list[str] = []
    for function in sorted(set(re.findall(r"\b(keys|properties)\s*\(", code, flags=re.I))):
        problems.append(f"reads properties by their keys ({function}())")
    if re.search(r"\.\s*\*", code):
        problems.append("projects every property of a node (v{.*})")
    for call in re.finditer(r"(?<![\w.$])((?:\w+\s*\.\s*)+\w+)\s*\(", code):
        namespace = call.group(1).split(".")[0].strip().lower()
        is_procedure = re.search(r"(?i:\bCALL)\s*$", code[: call.start()])
        if not is_procedure and namespace not in _FUNCTION_NAMESPACES:
            problems.append(f"calls a function of a plugin ({call.group(1)})")
    counting = r"(?<![\w.$]){v}\s+(?i:IN)\s+range\s*\("
    counters = _bound_only_by(code, set(re.findall(counting.format(v=r"(\w+)"), code)), counting)
    for bracket in re.finditer(r"([\w)\]}])\s*\[", code):
        word = re.search(r"(\w+)$", code[: bracket.end(1)])
        if word and word.group(1).lower() in _KEYWORDS:
            continue
        depth, end = 1, bracket.end()
        while end < len(code) and depth:
            depth += {"[": 1, "]": -1}.get(code[end], 0)
            end += 1
        index = code[bracket.end() : end - 1]
        names = set(re.findall(r"[^\W\d]\w*", index))
        if names - counters or not _SAFE_INDEX.fullmatch(re.sub(r"[^\W\d]\w*", "", index)):
            subject = code[: bracket.end(1)].split()[-1]
            problems.append(f"reads a property by a computed key ({subject}[{index.strip()}])")
    labels = "|".join(PLACE_LABELS)
    place = rf"\(\s*{{v}}\s*:\s*(?:{labels})(?!\w)(?!\s*[|&:!%])"
    for key in sorted({column for _, column in IDENTIFYING}):
        k = re.escape(key)
        if re.search(rf"(?<![\w.$]){k}\s*:(?!:)", code):
            problems.append(f"names the key {key!r} in a pattern or map")
        owners = [
            re.search(r"(?:^|[^\w.`)\]}$])\s*(\w+)\s*$", code[: read.start()])
            for read in re.finditer(rf"\.\s*{k}(?!\w)", code)
        ]
        places = _bound_only_by(code, {o.group(1) for o in owners if o}, place)
        for owner in owners:
            if owner is None:
                problems.append(f"reads {key!r} of an expression, not of a variable")
            elif owner.group(1) not in places:
                problems.append(
                    f"reads {key!r} of {owner.group(1)!r}, which is not bound only as a place"
                )
    return list(dict.fromkeys(problems))
