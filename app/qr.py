"""QR codes as inline SVG (nothing to fetch): the join link in the lobby, a take-home link."""


def svg(url: str) -> str:
    import segno  # only a lobby or a take-home page draws one: not imported at start-up

    return segno.make(url, error="m").svg_inline(border=2, dark="#111", light="#fff", omitsize=True)
