"""A report page as it prints on A4, in headless Chromium, for the docs and for a PDF.

Write a pack first (``graphvc report tasking --out packs --borough E09000033``), then::

    .venv/bin/python scripts/print_report.py packs/E09000033/latest/report.html \\
        docs/images/tasking-pack-print.png [pack.pdf]

writes the first printed page as a PNG (the page drawn with the print style sheet, at the
width and height an A4 page leaves inside its margins) and, if asked, the whole page as an
A4 PDF (Chromium's own printing, ``print_page``). Needs Debian's ``chromium`` and
``chromium-driver`` (``scripts/install-browser.sh``); no PDF library.
"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.print_page_options import PrintOptions

from tests.browser import chromium

#: An A4 page inside the page's @page margins (210 x 297 mm less 12 + 12 and 14 + 16 mm),
#: in CSS pixels (96 to the inch).
WIDTH, HEIGHT = round((210 - 24) / 25.4 * 96), round((297 - 30) / 25.4 * 96)


def a4_pdf(browser: object) -> bytes:
    """The open page printed by Chromium on A4 paper, with its backgrounds."""
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    options.background = True
    return base64.b64decode(browser.print_page(options))  # type: ignore[attr-defined]


def print_preview(page: Path, png: Path, pdf: Path | None = None, at: str | None = None) -> None:
    """Save the first printed page of ``page`` as ``png`` (and the whole as ``pdf``); with
    ``at`` (a CSS selector), the printed page from that element on instead of the first."""
    with (
        tempfile.TemporaryDirectory() as profile,
        chromium(Path(profile), width=WIDTH, height=HEIGHT) as browser,
    ):
        browser.get(page.resolve().as_uri())
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        # The window's inner size is the A4 page's printable area; a headless window
        # counts its frame in --window-size, so size the viewport itself.
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        if at is not None:
            browser.execute_script(f"document.querySelector({at!r}).scrollIntoView()")
        browser.execute_script("document.documentElement.style.overflow = 'hidden'")
        browser.save_screenshot(str(png))
        if pdf is not None:
            pdf.write_bytes(a4_pdf(browser))


if __name__ == "__main__":
    # page.html out.png [out.pdf [css selector]]
    print_preview(
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else None,
        sys.argv[4] if len(sys.argv) > 4 else None,
    )
