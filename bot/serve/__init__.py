"""Serving: the FastAPI app (API, SSE, widget), the staff console, the stores, the protection."""

from .app import StartupRefused, create_app, serve

__all__ = ["StartupRefused", "create_app", "serve"]
