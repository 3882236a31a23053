"""``docs/input-contract.md``, generated from the contract's declarations (:mod:`graphvc.contract`).

The page is never edited by hand: ``graphvc contract docs --output docs/input-contract.md``
writes it again, and a unit test holds the committed file to :func:`contract_markdown`.
"""

from __future__ import annotations

from graphvc.contract import EARLIEST_DATE, MAX_TEXT_LENGTH, TABLES, Column, TableSpec

__all__ = ["contract_markdown"]

_INTRO = """\
# graphvc input contract

<!-- Generated from graphvc/contract.py by `graphvc contract docs --output docs/input-contract.md`:
     change the declarations there, not this page. -->

`graphvc load DIR` reads up to six tables from `DIR`, each as `NAME.csv` (UTF-8, header row,
comma-separated) or `NAME.parquet`, a regular file. Any subset may be present (an `associations`
file alone loads an edge list received from elsewhere). Column order does not matter; extra
columns are an error (a wrong header is refused whole, before anything is written), and so is a
column named `_row`, the loader's own row number. Booleans are `true`/`false` (also `1`/`0`,
`yes`/`no`). Date-times without a UTC offset are London time. Every cell is read without the
spaces (and invisible characters such as a zero-width space or a byte-order mark) around it: an
id with spaces around it is the same id without them.

Each column below has a label, the name the app, the reports and the CLI show it by (with its
unit, where it has one).

## Empty cells and absent columns

An empty cell is a missing value: an optional column fills it with its default (below), and a
column without a default writes no value, so a later file's empty `name` removes a person's
name. A column absent from a file leaves the graph's values alone: a later `persons.csv` with
only `person_id` and `age_band` changes the age bands of the people it names and nothing else
(a node the file creates takes the defaults). A ward's or borough's name is never removed by
an empty cell: one place's row names its ward, another's may not.

## What is quarantined

A file that cannot be read as a table (missing, not a regular file, undecodable, a required
column missing from its header or a column the table does not have) stops the load before
anything is written. Every other file is checked row by row: a row with any failing cell is
left out and written to the rejects file (`--rejects`, default `rejects.csv`) with its file, row
number (the header is row 1), field, value and reason, and every other row is loaded. A cell
fails when it

- is longer than {max_text:,} characters or holds a control character (such as a NUL byte);
- is missing from a required column, or blank there (only spaces or invisible characters);
- is not one of its column's values, not a finite number in its range, not a boolean or not an
  ISO 8601 date-time;
- is a date-time before {earliest} or after tomorrow (a typing mistake);
- holds a list, map or struct (a Parquet nested value), not a single value;
- repeats the key of an earlier row, or names a person, incident or location that is in neither
  the folder nor the graph;
- puts a ward in a borough other than the one an earlier row gives it.
"""


def _type(column: Column) -> str:
    """What a column holds, in words.

    >>> from graphvc.contract import column
    >>> _type(column("incidents", "harm")), _type(column("persons", "sex"))
    ('number ≥ 0, in days', 'one of `F`, `M`, `X`, `unknown`')
    """
    if column.type == "category":
        return "one of " + ", ".join(f"`{value}`" for value in column.allowed)
    if column.type == "number":
        bounds = ""
        if column.minimum is not None and column.maximum is not None:
            bounds = f" from {column.minimum:g} to {column.maximum:g}"
        elif column.minimum is not None:
            bounds = f" ≥ {column.minimum:g}"
        elif column.greater_than is not None:
            bounds = f" > {column.greater_than:g}"
        return "number" + bounds + (f", in {column.unit}" if column.unit else "")
    return {
        "text": "string",
        "offence": "offence code",
        "datetime": f"ISO 8601 date-time, from {column.earliest} to tomorrow",
        "date": f"ISO 8601 date (YYYY-MM-DD), from {column.earliest} to tomorrow",
        "boolean": "boolean",
    }[column.type]


def _required(column: Column, spec: TableSpec) -> str:
    """Whether a column is required, and if not what a missing value becomes."""
    if column.required:
        return "yes, unique" if spec.key == (column.name,) else "yes"
    if column.default_from:
        return f"no (the offence's `{column.default_from}`)"
    if isinstance(column.default, bool):
        return f"no (`{str(column.default).lower()}`)"
    if isinstance(column.default, float):
        return f"no (`{column.default:g}`)"
    if column.default is not None:
        return f"no (`{column.default}`)"
    return "no"


def _table(spec: TableSpec) -> str:
    rows = [
        f"| `{c.name}` | {c.heading} | {_type(c)} | {_required(c, spec)} | {c.description} |"
        for c in spec.declared
    ]
    return "\n".join(
        [
            f"## {spec.name}",
            "",
            spec.description,
            "",
            "| column | label | type | required | meaning |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )


def contract_markdown() -> str:
    """``docs/input-contract.md``: every table and column of the contract, for people.

    Examples
    --------
    >>> page = contract_markdown()
    >>> page.splitlines()[0]
    '# graphvc input contract'
    >>> "| `harm` | Harm (days) | number ≥ 0, in days |" in page
    True
    """
    intro = _INTRO.format(max_text=MAX_TEXT_LENGTH, earliest=EARLIEST_DATE)
    sections = [intro, *map(_table, TABLES.values())]
    return "\n\n".join(section.rstrip("\n") for section in sections) + "\n"
