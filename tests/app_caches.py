"""The app's caches between tests."""

import threading

import streamlit as st

from graphvc.app.data import WARM_UP_THREAD


def clear_app_caches() -> None:
    """Empty the app's caches once its background warm-up (:func:`graphvc.app.data.warm_up`)
    is done: one still reading would fill them again with what the last test's graph held."""
    for thread in threading.enumerate():
        if thread.name == WARM_UP_THREAD:
            thread.join(60)
    st.cache_data.clear()
    st.cache_resource.clear()
