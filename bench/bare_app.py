"""A bare Streamlit app of two pages, a title and a line each: the floor under every first
paint that ``bench_scale`` times (Streamlit's own front end, session and render on this
machine), served and timed beside graphvc's app in each round.

    streamlit run bench/bare_app.py
"""

import streamlit as st


def first() -> None:
    st.title("A bare page")
    st.write("Nothing but a title and this line.")


def second() -> None:
    st.title("Another bare page")
    st.write("Nothing but a title and this line.")


st.set_page_config(page_title="bare", layout="wide")
st.navigation(
    [
        st.Page(first, title="First", url_path="first", default=True),
        st.Page(second, title="Second", url_path="second"),
    ]
).run()
