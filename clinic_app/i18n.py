"""The one translation helper of the core.

The core never imports Qt, yet every message a person reads is translated by
Qt (French by default, English selectable). The core therefore marks its
user-visible strings with :func:`QT_TRANSLATE_NOOP` — the name ``pyside6-lupdate``
looks for — and carries them as :class:`Message` values (an English template
plus parameters). The UI renders a ``Message`` with
``QCoreApplication.translate(message.context, message.template)``; the CLI and
the tests read the English text from ``str(message)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for extraction into the Qt translation files; return it unchanged."""
    return text


@dataclass(frozen=True)
class Message:
    """A user-visible sentence not yet translated: ``template.format(**params)``."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    context: str = "messages"

    def render(self, template: str | None = None) -> str:
        """Fill in the parameters, into ``template`` (a translation) if given."""
        text = template if template is not None else self.template
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message itself.
            return self.template.format(**self.params)

    def __str__(self) -> str:
        return self.render()
