"""A clock for tests: time moves only when something sleeps, and every sleep is kept."""

from __future__ import annotations


class FakeClock:
    def __init__(self, wall_start: float = 1531620000.0) -> None:
        self.elapsed = 0.0
        self.wall_start = wall_start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.elapsed

    def wall(self) -> float:
        return self.wall_start + self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def advance(self, seconds: float) -> None:
        """Time passing without a sleep (a request taking a while)."""
        self.elapsed += seconds
