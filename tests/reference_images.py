"""Reviewed reference images of every demo document, and the comparison of a new rendering.

Each page of each document of `tests.reference_documents` is rendered with
``pdftoppm -r 50 -gray -png`` and compared with ``tests/reference/<doc>-<page>.png``: a
page differs when more than `THRESHOLD` of its pixels differ by more than `TOLERANCE`
grey levels (or its size changed). pdftoppm writes its grey pages as RGB PNGs; they are
compared as grey, and the references are stored with 16 grey levels (4-bit PNGs, so the
set stays small). At 50 dpi this catches layout (a moved or lost block, a face falling
back, a page more or less), not small print: a changed minute in the footers moves at
most 0.006 % of a page and one changed character of a badge's 陳小明 0.52 % of the badge
but 0.09 % of its A4 sheet; the words are checked with pdftotext elsewhere. After a
deliberate change to a renderer, regenerate the images, look at every one, commit them:

    PYTHONPATH=$PWD python -m tests.reference_images --update

Without ``--update`` the same command compares and lists the pages that differ.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from tests.reference_documents import demo_documents

REFERENCE = Path(__file__).parent / "reference"
DPI = 50
TOLERANCE = 48
"""Grey levels (of 255) a pixel may move before it counts as differing: anti-aliasing."""
THRESHOLD = 0.005
"""The fraction of a page's pixels that may differ (0.5 %)."""
GREY_STEP = 17
"""References keep 16 grey levels, 17 apart (0..255): a quarter of the size, well in TOLERANCE."""


@dataclass(frozen=True)
class PageDifference:
    """How one rendered page compares with its reference image."""

    name: str
    fraction: float
    actual: Path
    diff: Path | None = None

    @property
    def differs(self) -> bool:
        """Tell whether the page is beyond the threshold (or has no reference, or resized)."""
        return self.fraction > THRESHOLD

    def describe(self) -> str:
        """Return one line naming the page, how much differs and the images to look at."""
        shown = f"; diff {self.diff}" if self.diff else ""
        return f"{self.name}: {self.fraction:.2%} of pixels differ (actual {self.actual}{shown})"


def pdftoppm_path() -> str | None:
    """Return the path of pdftoppm (Debian package poppler-utils), or None when missing."""
    return shutil.which("pdftoppm")


def render_pages(pdf: bytes, name: str, folder: Path, pdftoppm: str) -> list[Path]:
    """Render each page of `pdf` into `folder` as `<name>-<NN>.png`; return them in order."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / f"{name}.pdf"
        source.write_bytes(pdf)
        prefix = Path(scratch) / "page"
        command = [pdftoppm, "-r", str(DPI), "-gray", "-png", str(source), str(prefix)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or "Error" in result.stderr:
            raise RuntimeError(f"pdftoppm failed on {name}: {result.stderr.strip()}")
        rendered = sorted(Path(scratch).glob("page-*.png"), key=_page_number)
        pages = []
        for number, page in enumerate(rendered, start=1):
            target = folder / f"{name}-{number:02d}.png"
            shutil.move(page, target)
            pages.append(target)
    return pages


def _page_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def reference_pages(name: str) -> list[Path]:
    """Return the reference images of a document, in page order."""
    return sorted(REFERENCE.glob(f"{name}-[0-9][0-9].png"))


def compare_page(actual: Path, reference: Path, folder: Path) -> PageDifference:
    """Compare a rendered page with its reference; write a diff image when it differs."""
    with Image.open(actual) as seen, Image.open(reference) as expected:
        seen_grey, expected_grey = seen.convert("L"), expected.convert("L")
        if seen_grey.size != expected_grey.size:
            return PageDifference(actual.stem, 1.0, actual)
        moved = ImageChops.difference(seen_grey, expected_grey).point(
            lambda level: 255 if level > TOLERANCE else 0
        )
        histogram = moved.histogram()
        fraction = histogram[255] / (moved.width * moved.height)
        if fraction <= THRESHOLD:
            return PageDifference(actual.stem, fraction, actual)
        diff = folder / f"{actual.stem}-diff.png"
        faded = expected_grey.point(lambda level: 191 + level // 4).convert("RGB")
        faded.paste((220, 0, 0), mask=moved)
        faded.save(diff)
    return PageDifference(actual.stem, fraction, actual, diff)


def compare_document(name: str, pdf: bytes, folder: Path, pdftoppm: str) -> list[str]:
    """Render a document into `folder` and return what differs from its references."""
    pages = render_pages(pdf, name, folder, pdftoppm)
    references = reference_pages(name)
    problems = []
    if len(pages) != len(references):
        problems.append(
            f"{name}: {len(pages)} page(s) rendered, {len(references)} reference image(s) "
            f"(rendered pages in {folder})"
        )
    for page, reference in zip(pages, references, strict=False):
        found = compare_page(page, reference, folder)
        if found.differs:
            problems.append(found.describe())
    return problems


def update(documents: dict[str, bytes], pdftoppm: str) -> list[Path]:
    """Replace every reference image by a fresh rendering; return the images written."""
    for stale in REFERENCE.glob("*.png"):
        stale.unlink()
    written = []
    for name, pdf in documents.items():
        for page in render_pages(pdf, name, REFERENCE, pdftoppm):
            with Image.open(page) as image:
                grey = image.convert("L")
            save_sixteen_greys(grey, page)
            written.append(page)
    return written


def save_sixteen_greys(grey: Image.Image, path: Path) -> None:
    """Save a grey image as a 4-bit PNG of 16 grey levels (each pixel off by at most 8)."""
    levels = grey.point(lambda level: round(level / GREY_STEP))
    paletted = Image.frombytes("P", levels.size, levels.tobytes())
    paletted.putpalette([channel for n in range(16) for channel in (n * GREY_STEP,) * 3])
    paletted.save(path, optimize=True, bits=4)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the reference images (--update), or compare against them."""
    parser = argparse.ArgumentParser(prog="python -m tests.reference_images")
    parser.add_argument("--update", action="store_true", help="rewrite tests/reference/*.png")
    options = parser.parse_args(argv)
    pdftoppm = pdftoppm_path()
    if pdftoppm is None:
        print("pdftoppm (Debian package poppler-utils) is not installed", file=sys.stderr)
        return 2
    documents = demo_documents()
    if options.update:
        written = update(documents, pdftoppm)
        size = sum(page.stat().st_size for page in written)
        print(f"wrote {len(written)} images ({size / 1024:.0f} KB) to {REFERENCE}; look at each")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="reference-images-"))
    problems = [
        p for n, pdf in documents.items() for p in compare_document(n, pdf, folder, pdftoppm)
    ]
    print("\n".join(problems) or f"every page matches its reference image ({folder})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
