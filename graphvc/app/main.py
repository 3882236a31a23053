"""The app's router: sign-in, then the pages the user's roles open, and nothing else.
``graphvc app`` serves this file.

The app reads stored runs and the graph: every query goes through read transactions, in
which Neo4j refuses to write; its one write is the explicit "Run the analysis…"
(:func:`graphvc.app.run_picker.rerun_analysis`).
"""

from collections.abc import Callable

import streamlit as st

from graphvc.app import PAGES, page
from graphvc.app.access import audited, current_user
from graphvc.app.data import settings, warm_up

__all__ = ["PAGES", "main"]


#: Where the browser keeps, for its tab, the link a signed-out visitor opened. Sign-in goes
#: to the identity provider and back to the app's first page in a new session, which knows
#: nothing of the link (streamlit/streamlit#10162); the tab does.
RETURN_KEY = "graphvc-after-sign-in"
#: Keeps the address opened (its path and query, never another site's) before sign-in.
REMEMBER_LINK = f"""<script>
(() => {{
  const link = window.location.pathname + window.location.search;
  if (link !== "/") window.sessionStorage.setItem("{RETURN_KEY}", link);
}})();
</script>"""
#: After sign-in, opens the address kept, once, if it is of this site (never another's).
RETURN_TO_LINK = f"""<script>
(() => {{
  const link = window.sessionStorage.getItem("{RETURN_KEY}");
  if (link === null) return;
  window.sessionStorage.removeItem("{RETURN_KEY}");
  const here = window.location.pathname + window.location.search;
  const target = new URL(link, window.location.origin);
  if (target.origin === window.location.origin && link !== here) window.location.replace(target);
}})();
</script>"""


def sign_in() -> None:
    """The only page a signed-out visitor sees. The tab keeps the address it was opened at,
    so that a shared link (``/person?person=P1``) opens after sign-in."""
    st.title("graphvc")
    st.write("Network analysis of violent crime. Sign in to continue.")
    st.button("Sign in", type="primary", icon=":material/login:", on_click=st.login)
    st.html(REMEMBER_LINK, unsafe_allow_javascript=True)


def no_role() -> None:
    """The only page of a signed-in user to whom no role is given."""
    user = current_user()
    st.title("graphvc")
    st.warning(
        f"You are signed in as {user.name if user else 'nobody'}, but no graphvc role is given "
        "to you: ask an administrator.",
        icon=":material/lock:",
    )


def only(page: Callable[[], None], title: str) -> None:
    """Serve ``page`` alone: the navigation names it, so no other page can be reached (not
    those in ``views/``). It answers every page's address too, so a shared link
    (``/person?person=P1``) opened signed out shows it, not Streamlit's "page not found"."""
    everywhere = [st.Page(page, title=title, url_path=name) for name, _, _ in PAGES]
    st.navigation([st.Page(page, title=title, default=True), *everywhere], position="hidden").run()


def main() -> None:
    """Route a signed-in user to the pages their roles open (the first of them by default)."""
    st.set_page_config(page_title="graphvc", page_icon=":material/hub:", layout="wide")
    user = current_user()
    if user is None:
        only(sign_in, "Sign in")
        return
    signed_in = settings().sign_in == "oidc"
    if signed_in:
        audited("app.sign_in", what={"roles": sorted(user.roles)})
        # Back from the identity provider: the link opened before, if any (in the page, not
        # the sidebar, which a narrow window keeps closed and does not draw).
        st.html(RETURN_TO_LINK, unsafe_allow_javascript=True)
    with st.sidebar:
        st.caption(f"{user.name} · {', '.join(sorted(user.roles)) or 'no role'}")
        if signed_in:
            st.button("Sign out", icon=":material/logout:", on_click=st.logout)
    allowed = [(name, title, icon) for name, title, icon in PAGES if user.may_open(name)]
    if not allowed:
        only(no_role, "No role")
        return
    warm_up()
    navigation = st.navigation(
        [
            st.Page(page(name), title=title, icon=icon, default=i == 0)
            for i, (name, title, icon) in enumerate(allowed)
        ]
    )
    navigation.run()


if __name__ == "__main__":
    main()
