"""The widget's files: /widget.js for host pages, /demo to try it, / redirects there."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from ..api_models import Detail

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"

router = APIRouter(tags=["widget"])


def widget_file(name: str, media_type: str):
    path = WIDGET_DIR / name
    if not path.is_file():
        return JSONResponse({"detail": f"the widget is not built yet: widget/{name} is missing"}, status_code=404)
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})


def served(media_type: str) -> dict:
    return {"response_class": Response, "responses": {
        200: {"content": {media_type: {"schema": {"type": "string"}}}, "description": "the file"},
        404: {"model": Detail, "description": "the widget is not built"}}}


@router.get("/widget.js", summary="The chat widget to embed in a page", **served("text/javascript"))
async def widget_js():
    return widget_file("widget.js", "text/javascript; charset=utf-8")


@router.get("/demo", summary="A page showing the widget", **served("text/html"))
async def demo():
    return widget_file("demo.html", "text/html; charset=utf-8")


@router.get("/", include_in_schema=False)
async def root():
    return RedirectResponse("/demo")
