"""Delivering outbox messages in the console: printed, addressed to the person by name."""

from __future__ import annotations

import sys
from typing import TextIO

from adapters.console import render
from bot.runtime.delivery import Recipient
from bot.seam.messages import Message


class ConsoleMessenger:
    pacing_interval = 0.0
    workspace_pacing_interval = 0.0

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out

    def pacing_key(self, recipient: Recipient) -> str:
        return f"console:{recipient.channel or recipient.person}"

    async def deliver(self, recipient: Recipient, message: Message) -> str | None:
        shown, _ = render.text(message)
        # A channel post is for everyone in it, not private: the label says which it is.
        if recipient.channel:
            label = f"posted in the group's channel, #{render.clean(recipient.channel)}"
        else:
            label = f"private message for {render.clean(recipient.person or '?')}"
        self.out.write(f"\n[{label}]\n{shown}\n")
        self.out.flush()
        return None
