"""Short notes an adapter adds around the engine's replies, where a platform needs them: the
words stay in the engine's catalogue, and the adapter says them in the reply's language."""

from __future__ import annotations

from bot.i18n import N_, _, speaking
from bot.seam.messages import Message, simple

REPLIED_PRIVATELY = N_("I've replied to you privately, in your chat with me.")
COULD_NOT_REPLY = N_(
    "I couldn't reach you privately. Please open a chat with me (search for Coproduce in "
    "Teams) and try again there."
)
UPLOAD_FAILED = N_("Sorry, I couldn't save the file to your OneDrive. Please try again later.")
NOTHING_SENT = N_("No problem: nothing was sent.")


def note(text: str, language: str | None = None) -> Message:
    """One of the notes above as a message, in `language` (the default for a channel)."""
    with speaking(language):
        return simple(_(text))
