"""Marks for messages defined where no translator is at hand (a constant, a label, a parameter's doc): they
return the message unchanged, and `make i18n-extract` finds them; the message is translated where it is
shown, with tr.gettext(message) or tr.pgettext(context, message). haiti_mss.i18n re-exports both; this
module imports nothing, so any module can use them without importing the translation machinery."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for extraction; translate it later with tr.gettext(message)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a message with a context for extraction; translate it later with tr.pgettext(context, message)."""
    return message
