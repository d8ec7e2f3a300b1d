"""Delivering outbox messages in the console: printed, addressed to the person by name."""

from __future__ import annotations

import sys
from typing import TextIO

from adapters.console import render
from adapters.console.buttons import ButtonBoard
from bot.runtime.delivery import Recipient
from bot.seam.messages import Buttons, Message


class ConsoleMessenger:
    pacing_interval = 0.0
    workspace_pacing_interval = 0.0

    def __init__(
        self, out: TextIO = sys.stdout, *, board: ButtonBoard | None = None, me: str = ""
    ) -> None:
        self.out = out
        # The chat's buttons: what arrives for the person at this terminal (or in the group's
        # channel, which they are in) can be pressed there; others' messages cannot.
        self.board = board
        self.me = me

    def pacing_key(self, recipient: Recipient) -> str:
        return f"console:{recipient.channel or recipient.person}"

    async def deliver(self, recipient: Recipient, message: Message) -> str | None:
        number = None
        pressable = recipient.channel is not None or recipient.person == self.me
        if self.board is not None and pressable and _has_buttons(message):
            _, buttons = render.text(message)
            number = self.board.add(buttons)
        shown, _ = render.text(message, number=number)
        # A channel post is for everyone in it, not private: the label says which it is.
        if recipient.channel:
            label = f"posted in the group's channel, #{render.clean(recipient.channel)}"
        else:
            label = f"private message for {render.clean(recipient.person or '?')}"
        self.out.write(f"\n[{label}]\n{shown}\n")
        self.out.flush()
        return None


def _has_buttons(message: Message) -> bool:
    return not message.is_form and any(isinstance(b, Buttons) for b in message.blocks)
