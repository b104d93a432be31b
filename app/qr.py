"""QR codes as inline SVG (nothing to fetch): the join link in the lobby, a take-home link."""

import segno


def svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(border=2, dark="#111", light="#fff", omitsize=True)
