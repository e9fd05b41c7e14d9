"""What a route may depend on: the one ``Service`` of the app."""

from __future__ import annotations

from fastapi import Request

from ..service import Service


def service(request: Request) -> Service:
    return request.app.state.service
