"""E-mail addresses and URLs: the invention a visitor would act on, so checked verbatim.

They are read before anything else and blanked out, because the digits and words inside
"brismis@163.com" or ".../event/1121.jhtml" are not numbers or names of their own. A passage
supports an address only whole ("tariat@brismis.org" is not in "secretariat@brismis.org"), case
aside; a URL's scheme, "www." and trailing slash are not part of what it must say.
"""

from __future__ import annotations

import re

from .claim import Claim
from .text import mask

# the local part in ASCII: "وbrismis@163.com" is "and brismis@163.com" (Arabic writes "and" onto the word)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]【】（）「」，。、]+", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?<![\w.@/-])(?:[a-z0-9-]+\.)+(?:org|com|net|int|edu|gov|cn|info)(?![\w.-]*\w)", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}>»”’\"'。，；：！？）】"


def _url_core(url: str) -> str:
    """Scheme, "www." and a trailing slash are not part of what the passage must say."""
    u = url.lower()
    u = re.sub(r"^https?://", "", u)
    u = re.sub(r"^www\.", "", u)
    return u.rstrip("/")


def contact_claims(buf: list[str]) -> list[Claim]:
    """The addresses in the text being read (``buf``, one character an item), blanked out."""
    claims: list[Claim] = []
    for regex, kind in ((EMAIL, "email"), (_URL, "url"), (_DOMAIN, "url")):
        for m in regex.finditer("".join(buf)):
            raw = m.group(0).rstrip(_TRAILING)
            if not raw:
                continue
            norm = raw.lower() if kind == "email" else _url_core(raw)
            claims.append(Claim(kind, raw, norm, start=m.start()))
            mask(buf, m.start(), m.start() + len(raw))
    return claims


def contact_supported(claim: Claim, lower: str) -> bool:
    """The address is in the passages (``lower``: their text in lower case), whole."""
    if claim.kind == "email":  # whole address: "tariat@brismis.org" is not in "secretariat@..."
        return re.search(r"(?<![\w.+-])" + re.escape(claim.normalized) + r"(?![\w-])", lower) is not None
    return re.search(r"(?<![\w-])" + re.escape(claim.normalized) + r"(?![\w-])", lower) is not None
