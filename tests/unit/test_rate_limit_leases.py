"""Leases of rate-limit hits: their sizes, their counts and their windows."""

from events_app.rate_limits.leases import Leases, most_per_lease


class Counter:
    """A shared counter with one window, as the database keeps it; counts its writes."""

    def __init__(self, ends: float = 60.0) -> None:
        self.count, self.ends, self.writes = 0, ends, 0

    def reserve(self, hits: int) -> tuple[int, float]:
        self.count += hits
        self.writes += 1
        return self.count, self.ends


def test_the_largest_lease_is_a_fiftieth_of_the_limit_at_most_64() -> None:
    assert most_per_lease("LIMITER/device:a/scans/600/1/minute") == 12
    assert most_per_lease("LIMITER/addr:x/sign-ins/30/1/minute") == 1
    assert most_per_lease("LIMITER/device:a/scans/100000000/1/minute") == 64
    assert most_per_lease("not-a-limits-key") == 1


def test_one_process_gets_consecutive_counts_with_growing_leases() -> None:
    leases, counter = Leases(), Counter()
    key = "LIMITER/device:a/scans/600/1/minute"
    counts = [leases.hit(key, 1, 0.0, counter.reserve) for _ in range(100)]
    assert counts == list(range(1, 101))
    assert counter.writes == 12  # leases of 1, 2, 4, 8, then 12 at a time
    assert counter.count == 1 + 2 + 4 + 8 + 12 * 8


def test_a_lease_ends_with_its_window() -> None:
    leases, counter = Leases(), Counter(ends=60.0)
    key = "LIMITER/device:a/scans/600/1/minute"
    for _ in range(10):
        leases.hit(key, 1, 1.0, counter.reserve)
    counter.count, counter.ends = 0, 120.0  # the database started a new window
    assert leases.hit(key, 1, 60.0, counter.reserve) == 1


def test_a_hit_of_several_takes_them_together() -> None:
    leases, counter = Leases(), Counter()
    key = "LIMITER/addr:x/sign-ins/30/1/minute"
    assert leases.hit(key, 1, 0.0, counter.reserve) == 1
    assert leases.hit(key, 2, 0.0, counter.reserve) == 3
    assert counter.count == 3
