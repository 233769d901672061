"""HTTP layer served next to Streamlit (Starlette routes and middleware): an entry point like app.py,
outside the domain package, since parts of it depend on Streamlit."""
