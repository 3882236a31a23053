"""graphvc's Streamlit app, for ``streamlit run app.py`` in a checkout.

``graphvc app`` (or ``make demo``) serves the same router from the package
(:mod:`graphvc.app.main`), binding to 127.0.0.1.
"""

from graphvc.app.main import main

main()
