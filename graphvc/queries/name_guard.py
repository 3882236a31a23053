"""The name guard: refuse, before anything runs, a query that could read a person's name.

The guard decides twice. :func:`identifying_reads` reads the query's text, a first and cheap
line; :func:`plan_reads` reads the plan Neo4j makes of it (``EXPLAIN``), which is what will run:
there, unicode escapes, comments and strings have been dealt with by Neo4j's own parser, so no
spelling of a read hides it. This module is the only place that knows which properties
identify a person, which labels are places and which labels a query may touch.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from graphvc.contract import IDENTIFYING
from graphvc.model import NODE_LABELS, RELATIONSHIP_TYPES, WATCH_PROPERTY_PREFIX
from graphvc.queries.cypher_text import code_only
from graphvc.queries.plan import Operator, Plan

__all__ = ["PLACE_LABELS", "identifying_reads", "plan_reads"]

#: Labels whose ``name`` is the name of a place, which a query may return.
PLACE_LABELS: tuple[str, ...] = ("Location", "Ward", "Borough")

#: Namespaces of Cypher's own functions; a function of any other (a plugin's) is refused.
_FUNCTION_NAMESPACES = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector"}
)
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


def _bound_only_by(
    code: str, candidates: set[str], binding: str, *, patterns: bool = True
) -> set[str]:
    """Those of ``candidates`` bound by ``binding`` (a pattern with ``{v}`` in it) and never
    bound in any other way: ``AS v``, ``v IN``, ``v =``, ``[v``, ``YIELD ... v`` or, unless
    ``patterns`` is false (a plan, which brackets expressions), a node pattern ``(v`` that
    ``binding`` does not match."""
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
        nodes = [m.start() for m in re.finditer(rf"\(\s*{v}(?!\w)", code)] if patterns else []
        if all(re.match(bound, code[start:]) for start in nodes):
            found.add(variable)
    return found


def _computed_keys(code: str, *, patterns: bool = True) -> list[str]:
    """The subscripts ``x[...]`` in ``code`` whose index is not whole-number arithmetic on
    literals and ``range()`` variables: each could read a property by a computed key.
    ``patterns`` as for :func:`_bound_only_by`."""
    found = []
    counting = r"(?<![\w.$]){v}\s+(?i:IN)\s+range\s*\("
    candidates = set(re.findall(counting.format(v=r"(\w+)"), code))
    counters = _bound_only_by(code, candidates, counting, patterns=patterns)
    for bracket in re.finditer(r"([\w)\]}`])\s*\[", code):
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
            found.append(f"reads a property by a computed key ({subject}[{index.strip()}])")
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
    problems += _computed_keys(code)
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


#: Where a plan names a label or relationship type: ``v:Label``, ``[r:TYPE|OTHER]``, with no
#: space after the colon (a map's ``key: value`` has one).
_LABELLED = re.compile(r"(?<=[\w`)(\[]):(?!:)((?:[!%&|:()]|\$\(|`[^`]*`|\w)+)")
#: Neo4j's spelling of a cached property read, ``cache[v.key]`` (``cacheN[...]`` and so on).
_CACHED = re.compile(r"\bcache\w*\[((?:\w+|`[^`]*`)\.(?:\w+|`[^`]*`))\]")
#: A literal whole number, which Neo4j's plan turns into a parameter.
_AUTO_INTEGER = re.compile(r"\$autoint_\d+")
_NAME = r"(?:\w+|`[^`]*`)"


def _conjuncts(details: str) -> list[str]:
    """``details`` split on its top-level ``WHERE`` and ``AND``, each part's outer brackets off.

    >>> _conjuncts("(l)-[r:IN_WARD]->(w) WHERE (w:Ward AND (l:Location))")
    ['(l)-[r:IN_WARD]->(w)', 'w:Ward', 'l:Location']
    """
    parts, depth, start = [], 0, 0
    for i, char in enumerate(details):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(char, 0)
        for word in (" AND ", " WHERE "):
            if depth == 0 and details.startswith(word, i) and i >= start:
                parts.append(details[start:i])
                start = i + len(word)
    parts.append(details[start:])
    if len(parts) > 1:
        return [conjunct for part in parts for conjunct in _conjuncts(part.strip())]
    part = parts[0].strip()
    if part.startswith("(") and part.endswith(")") and _closes_at_end(part):
        return _conjuncts(part[1:-1])
    return [part]


def _closes_at_end(text: str) -> bool:
    """Whether the bracket that opens ``text`` closes at its end."""
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(text) - 1
    return False


def _asserts_place(variable: str, details: str) -> bool:
    """Whether ``details`` hold only rows where ``variable`` has one place label."""
    v = re.escape(variable)
    place = "|".join(PLACE_LABELS)
    if any(re.fullmatch(rf"{v}:(?:{place})", part) for part in _conjuncts(details)):
        return True
    # An index seek or scan names its label and key: "UNIQUE l:Location(id) WHERE id = $x".
    return bool(re.match(rf"(?:[A-Z]+ )*{v}:(?:{place})\(", details))


def _place_variables(plan: Plan) -> set[str]:
    """The variables whose every value is a place: each operator that binds one keeps only
    nodes with one place label, itself or by a filter straight above it (with no operator
    between that joins another branch, where a variable of the same name may be another), and
    no expression binds it (``AS v``, ``v IN``, ``v =``, ``[v``)."""
    binders: dict[str, list[Operator]] = defaultdict(list)
    for operator in plan.operators:
        for variable in operator.introduces:
            binders[variable].append(operator)
    places = set()
    for variable, operators in binders.items():
        if all(_binds_a_place(variable, binder) for binder in operators):
            places.add(variable)
    details = _CACHED.sub(r"\1", plan.details)
    rebound = [
        r"(?i:\bAS)\s+{v}(?![\w`])",
        r"(?<![\w.$`]){v}\s+(?i:IN)\b",
        r"(?<![\w.$`]){v}\s*=(?!~)",
        r"\[\s*{v}(?![\w`])",
    ]
    return {
        v for v in places if not any(re.search(r.format(v=re.escape(v)), details) for r in rebound)
    }


def _binds_a_place(variable: str, binder: Operator) -> bool:
    """Whether ``binder`` or a filter straight above it keeps only places as ``variable``."""
    if _asserts_place(variable, binder.details):
        return True
    for name, details, children in binder.above:
        if name.startswith("Filter") and _asserts_place(variable, details):
            return True
        if children != 1:
            return False
    return False


def _dynamic_reads(plan: Plan, parameters: Iterable[str]) -> list[str]:
    """Property reads in ``plan`` that do not name the property, and calls of a plugin."""
    problems = []
    details = plan.details
    for function in sorted(set(re.findall(r"\b(keys|properties)\s*\(", details, flags=re.I))):
        problems.append(f"reads properties by their keys ({function.lower()}())")
    if re.search(r"\.\s*\*", details):
        problems.append("projects every property of a node (v{.*})")
    if "$(" in details:
        problems.append("names a label or key by an expression ($(...))")
    calls = "\n".join(o.details for o in plan.operators if not o.name.startswith("ProcedureCall"))
    for call in re.finditer(r"(?<![\w.$`])((?:\w+\.)+\w+)\(", calls):
        if call.group(1).split(".")[0].lower() not in _FUNCTION_NAMESPACES:
            problems.append(f"calls a function of a plugin ({call.group(1)})")
    variables = {v for operator in plan.operators for v in operator.introduces}
    if any(re.fullmatch(r"cache\w*", v) for v in variables):
        problems.append("names a variable as Neo4j names its cached reads (cache...)")
    numbers = not any(_AUTO_INTEGER.fullmatch(f"${name}") for name in parameters)
    for operator in plan.operators:
        code = _CACHED.sub(r"\1", operator.details)
        code = _AUTO_INTEGER.sub("0", code) if numbers else code
        problems += _computed_keys(code, patterns=False)
    return problems


def _hidden_labels(plan: Plan) -> list[str]:
    """Labels and relationship types the plan touches that are not the graph model's."""
    allowed = {*NODE_LABELS, *RELATIONSHIP_TYPES}
    problems = []
    # An index's operator names its keys after its label: "RANGE INDEX i:Incident(category)".
    details = "\n".join(
        re.sub(rf"(:{_NAME})\([^)]*\)", r"\1", o.details) if "Index" in o.name else o.details
        for o in plan.operators
    )
    for expression in _LABELLED.findall(details):
        names = [n.strip("`") for n in re.findall(r"`[^`]*`|\w+", expression)]
        if re.search(r"[!%]", expression) or set(names) - allowed:
            problems.append(f"touches labels other than the graph model's (:{expression})")
    return problems


def _watch_reads(plan: Plan) -> list[str]:
    """Reads of a watch's or an alert's properties (``watch_*``): an analyst's own watches are
    no query's business, whichever label reached them."""
    keys = re.findall(rf"\.\s*`?({WATCH_PROPERTY_PREFIX}\w*)", plan.details)
    return [f"reads a property of the watches ({key})" for key in sorted(set(keys))]


def plan_reads(plan: Plan, parameters: Iterable[str] = ()) -> list[str]:
    """Why the query planned as ``plan`` could read a person's identifying property.

    The rule of :func:`identifying_reads`, decided on the plan (see :mod:`graphvc.queries.plan`)
    rather than the text. A plan may read a property named as an identifying column of the
    contract only as ``v.name`` (or Neo4j's cached ``cache[v.name]``) where ``v`` is bound by
    one operator, which or an operator above which keeps only nodes with one place label
    (``v:Location``, ``v:Ward``, ``v:Borough``), and ``v`` is bound in no other way (``AS v``,
    ``v IN``, ``v =``, ``[v``). Nor may it read properties in any way that does not name them
    (``keys()``, ``properties()``, ``v{.*}``, a subscript other than whole-number arithmetic on
    literals and ``range()`` variables, a label or key given as ``$(...)``, a plugin's
    function), use an index on an identifying property of a non-place, or touch a label or
    relationship type the graph model does not declare (or ``%`` and ``!`` label expressions,
    which reach every label; so the watches' ``Watch``, ``Alert`` and ``RAISED`` too), or
    read a property of the watches (``watch_*``) on any node. ``parameters`` are the query's
    own parameter names.
    """
    problems = _dynamic_reads(plan, parameters) + _hidden_labels(plan) + _watch_reads(plan)
    places = _place_variables(plan)
    for key in sorted({column for _, column in IDENTIFYING}):
        for operator in plan.operators:
            details = _CACHED.sub(r"\1", operator.details)
            for read in re.finditer(rf"\.\s*(?:{key}|`{key}`)(?![\w`])", details):
                owner = re.search(rf"(?:^|[^\w.`)\]}}$])\s*({_NAME})\s*$", details[: read.start()])
                variable = owner.group(1) if owner else None
                if variable is None:
                    problems.append(f"reads {key!r} of an expression, not of a variable")
                elif variable not in places:
                    problems.append(
                        f"reads {key!r} of {variable!r}, which is not bound only as a place"
                    )
            for seek in re.finditer(rf"({_NAME}):({_NAME})\(([^)]*)\)", details):
                keys = {k.strip().strip("`") for k in seek.group(3).split(",")}
                if key in keys and seek.group(2).strip("`") not in PLACE_LABELS:
                    problems.append(f"reads {key!r} through an index on :{seek.group(2)}")
    return list(dict.fromkeys(problems))
