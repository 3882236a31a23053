"""The app's router: the page list, and nothing else. ``graphvc app`` serves this file.

The app reads stored runs and the graph: every query goes through read transactions, in
which Neo4j refuses to write; its one write is the explicit "Run the analysis…"
(:func:`graphvc.app.common.rerun_analysis`).
"""

import streamlit as st

from graphvc.app import page

PAGES = (
    ("overview", "Overview", ":material/dashboard:"),
    ("explorer", "Network explorer", ":material/hub:"),
    ("people", "Dangerous people", ":material/person_alert:"),
    ("victims", "Victims", ":material/personal_injury:"),
    ("places", "Places", ":material/location_on:"),
    ("performance", "Performance", ":material/target:"),
    ("cypher", "Cypher", ":material/terminal:"),
    ("reports", "Reports", ":material/summarize:"),
)


def main() -> None:
    """Route to the chosen page (the overview first)."""
    st.set_page_config(page_title="graphvc", page_icon=":material/hub:", layout="wide")
    navigation = st.navigation(
        [
            st.Page(page(name), title=title, icon=icon, default=name == "overview")
            for name, title, icon in PAGES
        ]
    )
    navigation.run()


if __name__ == "__main__":
    main()
