"""HTTP layer served next to Streamlit: identity middleware and the account forms (Starlette)."""
