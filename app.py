"""graphvc's Streamlit app: a thin router over the pages in ``app_pages/``.

Run it with ``graphvc app`` (binds to 127.0.0.1) or ``make demo``. The app only reads: every
query goes through read transactions, in which Neo4j refuses to write.
"""

import streamlit as st

st.set_page_config(page_title="graphvc", page_icon=":material/hub:", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
        st.Page("app_pages/explorer.py", title="Network explorer", icon=":material/hub:"),
        st.Page("app_pages/people.py", title="Dangerous people", icon=":material/person_alert:"),
        st.Page("app_pages/victims.py", title="Victims", icon=":material/personal_injury:"),
        st.Page("app_pages/places.py", title="Places", icon=":material/location_on:"),
        st.Page("app_pages/cypher.py", title="Cypher", icon=":material/terminal:"),
        st.Page("app_pages/reports.py", title="Reports", icon=":material/summarize:"),
    ]
)
navigation.run()
