"""graphvc's Streamlit app: a thin router (:mod:`graphvc.app.main`) over small pages
(``graphvc/app/views/``), each a ``main()`` that reads widgets, calls graphvc and draws.

What the pages share lives beside them, one concern a module: :mod:`~graphvc.app.data`
(cached reads), :mod:`~graphvc.app.access` (the user, the gates, the audit trail),
:mod:`~graphvc.app.widgets` (tables, pictures), :mod:`~graphvc.app.maps` (maps), :mod:`~graphvc.app.run_picker` (which
stored run a page shows; the re-run) and :mod:`~graphvc.app.network_view` (the explorer's
picture). The router names each page by its file, which Streamlit runs as a script: a
page's last lines call its ``main()``, and its URL is its file's name. The folder is not
called ``pages/``: Streamlit would serve a folder of that name beside the router as pages of
its own until the router's navigation first runs, so a deep link (``/person?person=P1``) that
is a fresh server's first request would open a page without the router.

It ships inside the package, so ``graphvc app`` serves it from a checkout or an installed
wheel alike; ``app.py`` at the top of a checkout is the documented entry for
``streamlit run app.py``.
"""

from pathlib import Path

__all__ = ["PAGES", "PAGES_DIR", "page"]

PAGES_DIR = Path(__file__).resolve().parent / "views"
#: The pages in the order the navigation shows them: name (its file in ``views/``), title, icon.
PAGES = (
    ("overview", "Overview", ":material/dashboard:"),
    ("explorer", "Network explorer", ":material/hub:"),
    ("people", "Dangerous people", ":material/person_alert:"),
    ("person", "Person profile", ":material/person_search:"),
    ("identities", "Identities", ":material/join:"),
    ("victims", "Victims", ":material/personal_injury:"),
    ("places", "Places", ":material/location_on:"),
    ("performance", "Performance", ":material/target:"),
    ("cypher", "Cypher", ":material/terminal:"),
    ("reports", "Reports", ":material/summarize:"),
    ("alerts", "Alerts", ":material/notifications:"),
    ("audit", "Audit trail", ":material/policy:"),
)


def page(name: str) -> str:
    """The path of page ``name`` (e.g. ``"explorer"``), for ``st.switch_page`` and links."""
    return str(PAGES_DIR / f"{name}.py")
