"""Streamlit-side helpers shared by the pages (the only layer, with pages/, that imports Streamlit)."""
