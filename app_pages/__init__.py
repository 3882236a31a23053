"""Pages of the Streamlit app; each is a short script that reads widgets, calls graphvc, draws."""
