"""The web app: server-rendered pages (Jinja2 + HTMX) and the REST API, thin over services."""
