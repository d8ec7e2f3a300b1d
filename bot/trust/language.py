"""`/coproduce language [en|cy]`: the language the bot uses with each person."""

from __future__ import annotations

from bot.i18n import LANGUAGES, _, speaking
from bot.seam.messages import Reply, simple
from bot.turn import Turn

# What people type for each language, in either language.
_NAMES = {
    "en": "en",
    "english": "en",
    "saesneg": "en",
    "cy": "cy",
    "welsh": "cy",
    "cymraeg": "cy",
}


def language_command(turn: Turn, text: str) -> Reply:
    asked = text.strip().lower()
    if not asked:
        return Reply(
            simple(
                _(
                    "I'm writing to you in {language}. For Welsh, type /coproduce language cy. "
                    "For English, type /coproduce language en.",
                    language=LANGUAGES[turn.person.language or "en"],
                )
            )
        )
    chosen = _NAMES.get(asked)
    if chosen is None:
        return Reply(
            simple(
                _(
                    "I can write in English (en) or Welsh (cy). Type /coproduce language cy "
                    "or /coproduce language en."
                )
            )
        )
    turn.person.language = chosen
    with speaking(chosen):
        return Reply(simple(_("Done: I'll write to you in English from now on. Thank you!")))
