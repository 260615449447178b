"""The one exception type of the finishing stage.

A finished file goes to a press; anything that would make it wrong there (an unembedded font, RGB
colour in an X-1a file, a missing TrimBox, an unusable output profile) stops the build with a
:class:`FinishError` that lists every problem found, so the user can fix them in one go instead of
one per run.
"""

from __future__ import annotations


class FinishError(Exception):
    """A file or profile cannot be finished for press. ``problems`` lists each reason."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        text = message
        if self.problems:
            text += ":\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(text)
