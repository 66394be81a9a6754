"""Every refusal has its HTTP status in events_app.errors, and the domain knows no HTTP."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import domain
import events_app
from domain.errors import DomainError, Refusal
from events_app.errors import DOMAIN_STATUSES, HTTP_CODES, domain_status

ROOT = Path(__file__).resolve().parents[2]
BASES = (DomainError, Refusal)
"""Classes only ever raised through a subclass of their own code."""


def every_module(package: object) -> None:
    """Import every module of a package, so each DomainError subclass it defines exists."""
    for found in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):  # type: ignore[attr-defined]
        importlib.import_module(found.name)


def subclasses(cls: type) -> list[type]:
    """Return every subclass of `cls`, at any depth."""
    return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]


def refusals() -> list[type[DomainError]]:
    """Return every DomainError subclass the domain and the app define (tests' own aside)."""
    every_module(domain)
    every_module(events_app)
    own = ("domain.", "events_app.")
    return sorted(
        {c for c in subclasses(DomainError) if c.__module__.startswith(own)},
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


@pytest.mark.parametrize("refusal", refusals(), ids=lambda c: c.__qualname__)
def test_every_refusal_names_its_own_code_and_the_code_has_a_status(
    refusal: type[DomainError],
) -> None:
    if refusal in BASES:
        return
    assert "code" in vars(refusal), f"{refusal.__qualname__} inherits its code: give it its own"
    assert refusal.code in DOMAIN_STATUSES, f"{refusal.code!r} has no HTTP status"
    assert DOMAIN_STATUSES[refusal.code] in HTTP_CODES


def test_the_codes_are_unique_and_every_mapped_code_is_raised() -> None:
    codes = [DomainError.code] + [c.code for c in refusals() if c is not Refusal]
    assert len(codes) == len(set(codes))
    assert set(DOMAIN_STATUSES) == set(codes)


def test_domain_errors_carry_no_http_status() -> None:
    source = (ROOT / "domain" / "errors.py").read_text()
    names = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    assert "status" not in names
    in_domain = [c for c in refusals() if c.__module__.startswith("domain.")]
    assert in_domain
    assert not any(hasattr(c, "status") for c in in_domain)


def test_a_status_is_read_from_the_code() -> None:
    from domain.errors import InvalidValue, NotFound

    assert domain_status(NotFound("no such gathering")) == 404
    assert domain_status(InvalidValue("too long", field="name")) == 422
    assert domain_status(DomainError("refused")) == 409
