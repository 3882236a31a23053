"""What every page shares: the cached driver, cached read queries, one way to show errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import neo4j
import pandas as pd
import streamlit as st

from graphvc.config import Settings
from graphvc.db import connect, read_cypher, run_query
from graphvc.errors import GraphvcError

T = TypeVar("T")


@st.cache_resource
def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource
def driver() -> neo4j.Driver:
    """One driver for the app's lifetime (the server must already run: `graphvc app` starts it)."""
    return connect(settings())


@st.cache_data(ttl=300, show_spinner=False)
def library_query(name: str, parameters: tuple[tuple[str, Any], ...] = ()) -> pd.DataFrame:
    """Run ``cypher/<name>.cypher`` in a read transaction; cached for five minutes."""
    return run_query(
        driver(),
        read_cypher(name),
        dict(parameters),
        database=settings().neo4j_database,
        timeout=settings().query_timeout,
    )


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; on a graphvc error show its message on the page and stop the page."""
    try:
        return action()
    except GraphvcError as e:
        st.error(str(e), icon=":material/error:")
        st.stop()
        raise  # st.stop() raises; this line only satisfies type checkers
