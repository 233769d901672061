"""The one-line page of floor 1."""

import streamlit as st

st.write("Plancher : une ligne")
