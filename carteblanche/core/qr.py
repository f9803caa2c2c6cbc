"""QR codes, the one home: a poster's link, an authenticator's secret. An SVG data URI, no file, no network."""


def qr_data_uri(text: str, *, scale: int = 6) -> str:
    """A QR code of ``text`` as an SVG data URI (error correction M: a poster survives a fold or a stain)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)
