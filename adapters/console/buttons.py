"""Buttons in the console: every shown message with buttons gets a number, and its buttons are
pressed as `:<message>.<button>` for as long as the chat lasts, so a message that arrives in the
meantime (a prompt, some news) never turns an old `:1` into a different button."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

# (label, action_id, value)
ButtonSpec = tuple[str, str, str]
KEPT = 200  # messages whose buttons stay pressable; older ones are forgotten


@dataclass
class ButtonBoard:
    _messages: OrderedDict[int, list[ButtonSpec]] = field(default_factory=OrderedDict)
    _next: int = 1

    def add(self, buttons: list[ButtonSpec]) -> int:
        """Number a message's buttons; returns the message's number."""
        number = self._next
        self._next += 1
        self._messages[number] = buttons
        while len(self._messages) > KEPT:
            self._messages.popitem(last=False)
        return number

    def press(self, reference: str) -> tuple[str, str] | str:
        """`4.2` (button 2 of message 4) or `2` (of the latest message with buttons): the
        (action_id, value) to send, or what to tell the person."""
        message_part, _, button_part = reference.partition(".")
        if not button_part:
            message_part, button_part = (str(next(reversed(self._messages), 0)), message_part)
        if not (message_part.isdigit() and button_part.isdigit()):
            return "Type a button's number as it is shown, like :4.1."
        buttons = self._messages.get(int(message_part))
        index = int(button_part) - 1
        if buttons is None or not 0 <= index < len(buttons):
            return "There's no button with that number."
        _, action_id, value = buttons[index]
        return action_id, value
