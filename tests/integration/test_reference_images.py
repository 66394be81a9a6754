"""Every page of every demo document looks like its reviewed reference image.

The documents are built in-process from the demo's seed data with a fixed clock and fixed
badge tokens (tests/reference_documents.py), rendered with `pdftoppm -r 50 -gray` and
compared with tests/reference/<doc>-<page>.png (tests/reference_images.py). No browser;
without pdftoppm the test fails when CI=true and skips elsewhere. After a deliberate change
to a renderer: `PYTHONPATH=$PWD python -m tests.reference_images --update`, look at every
image, commit them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests import pdf_helpers
from tests.pdf_helpers import tool
from tests.reference_documents import DOCUMENTS, demo_documents
from tests.reference_images import (
    REFERENCE,
    THRESHOLD,
    compare_document,
    compare_page,
    reference_pages,
)

REGENERATE = (
    "if the change is meant, regenerate with `PYTHONPATH=$PWD python -m "
    "tests.reference_images --update`, look at every image and commit them"
)


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    """Every demo document as PDF bytes, built once for the module."""
    return demo_documents()


def test_the_documents_built_are_those_with_reference_images(documents: dict[str, bytes]) -> None:
    assert tuple(documents) == DOCUMENTS
    referenced = {page.stem.rsplit("-", 1)[0] for page in REFERENCE.glob("*.png")}
    assert referenced == set(DOCUMENTS), "reference images without a document, or missing"


def test_building_twice_gives_the_same_bytes(documents: dict[str, bytes]) -> None:
    again = demo_documents()
    assert [name for name in DOCUMENTS if again[name] != documents[name]] == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_page_matches_its_reference_image(
    name: str, documents: dict[str, bytes], tmp_path: Path
) -> None:
    problems = compare_document(name, documents[name], tmp_path, tool("pdftoppm"))
    assert not problems, "\n".join([*problems, REGENERATE])


def test_a_changed_page_fails_and_leaves_a_diff_image(tmp_path: Path) -> None:
    reference = reference_pages("badge")[0]
    with Image.open(reference) as image:
        changed = image.convert("L")
    ImageDraw.Draw(changed).rectangle((20, 20, 60, 60), fill=0)
    actual = tmp_path / "badge-01.png"
    changed.save(actual)
    found = compare_page(actual, reference, tmp_path)
    assert found.differs
    assert found.fraction > THRESHOLD
    assert found.diff is not None
    assert found.diff.exists()
    assert str(found.diff) in found.describe()
    assert str(actual) in found.describe()


def test_a_speck_within_the_threshold_passes(tmp_path: Path) -> None:
    reference = reference_pages("programme")[0]
    with Image.open(reference) as image:
        changed = image.convert("L")
    changed.putpixel((5, 5), 255 - changed.getpixel((5, 5)))  # one pixel of ~170 000
    actual = tmp_path / "programme-01.png"
    changed.save(actual)
    found = compare_page(actual, reference, tmp_path)
    assert not found.differs
    assert found.diff is None


def test_another_page_count_fails(documents: dict[str, bytes], tmp_path: Path) -> None:
    problems = compare_document("programme", documents["badge"], tmp_path, tool("pdftoppm"))
    pages = len(list(REFERENCE.glob("programme-*.png")))
    assert pages > 1
    assert problems[0].startswith(f"programme: 1 page(s) rendered, {pages} reference image(s)")


def test_without_pdftoppm_ci_fails_rather_than_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_helpers, "IN_CI", True)
    monkeypatch.setattr(pdf_helpers.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="pdftoppm"):
        tool("pdftoppm")
