"""What a conformance check says when it passes: which checks ran and which were skipped, and why."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class CheckReport:
    """The checks a plug-in passed (a failed check raises `AssertionError` instead) and those skipped, with why."""

    subject: str
    passed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        skipped = "; ".join(f"{k}: {v}" for k, v in self.skipped.items())
        return f"{self.subject}: passed {', '.join(self.passed) or 'nothing'}" + (f"; skipped {skipped}" if skipped else "")


class Skip(Exception):
    """Raised inside a check that does not apply to this plug-in; the message says why."""


@dataclass
class Suite(Generic[T]):
    """Named checks over one subject, run in order."""

    checks: dict[str, Callable[[T], None]]

    def run(self, subject: T, label: str, only: Iterable[str] | None, skip: Iterable[str]) -> CheckReport:
        names = list(self.checks) if only is None else list(only)
        skipped = set(skip)
        unknown = [n for n in [*names, *sorted(skipped)] if n not in self.checks]
        if unknown:
            raise ValueError(f"unknown check(s) {', '.join(map(repr, unknown))}; the checks are "
                             f"{', '.join(self.checks)}")
        report = CheckReport(label)
        for name in names:
            if name in skipped:
                report.skipped[name] = "skipped on request"
                continue
            try:
                self.checks[name](subject)
            except Skip as e:
                report.skipped[name] = str(e)
                continue
            except AssertionError as e:
                raise AssertionError(f"{label}, check {name!r}: {e}") from e
            except Exception as e:  # a plug-in's bug is a failed check too, with what raised
                raise AssertionError(f"{label}, check {name!r}: raised {type(e).__name__}: {e}") from e
            report.passed.append(name)
        return report
