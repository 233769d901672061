"""The two floors of the capacity benchmark (bench/capacity.py): `st.App` files and their scripts,
copied by the benchmark next to links to pages/, assets/ and .streamlit/ (st.Page paths are
resolved from the main script's folder)."""
