"""What validation finds: one violation per problem, gathered in one report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Violation:
    """One problem: which check found it, on what, and what is wrong."""

    check: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.focus}: {self.message}"


@dataclass
class ValidationReport:
    """All violations found, and how many checks of each kind ran."""

    violations: list[Violation] = field(default_factory=list)
    checks: dict[str, int] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """True when nothing is wrong."""
        return not self.violations

    def __add__(self, other: ValidationReport) -> ValidationReport:
        """Both reports' violations and checks in one."""
        return ValidationReport(
            [*self.violations, *other.violations], {**self.checks, **other.checks}
        )

    def summary(self) -> str:
        """Readable text: the checks that ran, then one line per violation."""
        ran = ", ".join(f"{count} {kind}" for kind, count in self.checks.items())
        lines = [f"checks run: {ran}"]
        lines.extend(str(violation) for violation in sorted(self.violations))
        verdict = "valid" if self.conforms else f"{len(self.violations)} violation(s)"
        lines.append(f"result: {verdict}")
        return "\n".join(lines)
