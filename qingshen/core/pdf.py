"""PDF documents (notice letters, final lists) from HTML templates, with WeasyPrint.

The fonts are Debian's Noto Serif CJK SC (a Song face, for body and titles, as GB/T 9704
allows) and Noto Sans CJK SC; WeasyPrint embeds the subset of glyphs each document uses, so it
prints the same anywhere. (It keeps the glyph ids, so each CJK face still adds about 130 KB to
a PDF: use as few faces as a document needs.) `templates/documents/official.css` carries the
GB/T 9704 page: A4, margins 37/26/35/28 mm, 16 pt body (三号) on the 28-character × 22-line
grid (28.9 pt lines), page numbers "— 1 —" below the type area; a document may scale the grid
down (the notice letter sets 14 pt, 31 × 26, to fit two pages).
"""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_fonts = None


def _font_config():
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url="/").write_pdf(font_config=_font_config())


def render_html_pdf(html: str) -> bytes:
    return HTML(string=html, base_url="/").write_pdf(font_config=_font_config())
