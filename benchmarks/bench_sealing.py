"""Benchmark sealing personal data: µs per seal and per open, and a key's first fetch.

Seals and opens a guest's details (as a Submitted event carries them) through the app's
JSON transcoder, with the subject's key cached (the usual case: one key per guest, kept in
the process's LRU), then times the first fetch of a key from an SQLite file's
personal_keys table (a cache miss) and a plain transcoding of the same details for
comparison.

    python benchmarks/bench_sealing.py [--rounds 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

from eventsourcing.persistence import JSONTranscoder

from domain.personal import Kind, personal
from events_app.store.key_rows import SQLiteRows
from events_app.store.personal_keys import PersonalKeys
from events_app.store.sealing import SealedPersonalData

DETAILS = {
    "full_name": "Sun Dong",
    "name_zh": "孫東",
    "email": "sun.dong@example.org",
    "organisation": "Hong Kong Science and Technology Parks Corporation",
    "job_title": "Director",
    "consent": True,
    "phone": "+852 6234 9817",
    "dietary": "",
    "accessibility": "",
    "notes": "",
    "language": "zh-Hant-HK",
}


def per_call(rounds: int, call: Callable[[], object]) -> float:
    """Return the µs one call takes, the best of three runs of `rounds` calls."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(rounds):
            call()
        best = min(best, time.perf_counter() - started)
    return best / rounds * 1e6


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20_000)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        keys = PersonalKeys(SQLiteRows(str(Path(folder) / "keys.sqlite")))
        transcoder = JSONTranscoder()
        transcoder.register(SealedPersonalData(keys))
        subject = uuid4()
        data = personal(subject, DETAILS, Kind.DETAILS)
        sealed = transcoder.encode({"details": data})
        plain = transcoder.encode({"details": DETAILS})
        figures = {
            "seal (cached key)": lambda: transcoder.encode({"details": data}),
            "open (cached key)": lambda: transcoder.decode(sealed),
            "plain encode": lambda: transcoder.encode({"details": DETAILS}),
            "plain decode": lambda: transcoder.decode(plain),
        }
        for name, call in figures.items():
            print(f"{name}: {per_call(rounds, call):.1f} µs")
        subjects = [uuid4().hex for _ in range(2_000)]
        for s in subjects:
            keys.cipher(s, create=True)
        misses = iter(subjects * 3)

        def fetch() -> None:
            s = next(misses)
            keys.forget(s)
            keys.cipher(s)

        print(f"key fetch (SQLite, cache miss): {per_call(2_000, fetch):.1f} µs")
        print(f"stored size: {len(sealed)} bytes sealed, {len(plain)} plain")
        keys.close()


if __name__ == "__main__":
    main()
