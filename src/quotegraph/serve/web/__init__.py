"""The web app and JSON API (``quotegraph serve``): one FastAPI app over one store."""

from quotegraph.serve.web.app import create_app

__all__ = ["create_app"]
