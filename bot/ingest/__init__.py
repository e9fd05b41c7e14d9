"""Ingestion: announcements as the organisation publishes them (formats, site import, boilerplate)."""
