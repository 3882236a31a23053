"""Reading Cypher as code: comments and string literals taken out before any rule looks at it."""

from __future__ import annotations

__all__ = ["IDENTIFIER", "code_only", "is_comment"]

#: A plain Cypher name (a parameter, variable, label or key without backticks).
IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"


def is_comment(line: str) -> bool:
    """Whether ``line`` is a ``//`` comment."""
    return line.lstrip().startswith("//")


def code_only(text: str) -> str:
    """``text`` with comments removed and string literals emptied (``'...'`` → ``''``).

    Examples
    --------
    >>> code_only("RETURN 'a // b' AS x // the end")
    "RETURN '' AS x "
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif char in "'\"`":
            j = i + 1
            while j < n and text[j] != char:
                j += 2 if text[j] == "\\" else 1
            # Backticked names stay: $`name` is a parameter, and names are code.
            out.append(text[i : j + 1] if char == "`" else char * 2)
            i = j + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)
