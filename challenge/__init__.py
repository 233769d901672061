"""Défi Zéro Gafam: the domain of the challenge (models, services, queries, scoring).

This package never imports Streamlit, so that a council's data team can reuse it from a notebook.
"""
