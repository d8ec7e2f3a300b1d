"""Neutral events: what adapters hand to the engine, free of any platform type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Actor:
    """Who did something: a user on one platform, in one workspace (team or tenant).

    `address` is opaque to the engine: the adapter's own way to reach this person privately.
    """

    platform: str
    workspace_id: str
    user_id: str
    display_name: str | None = None
    address: str | None = None
    # Another id the platform knows this person by (Teams: the Azure AD object id).
    alias: str | None = None

    @property
    def admin_key(self) -> str:
        """The `platform:user-id` form used by COPRODUCE_ADMINS."""
        return f"{self.platform}:{self.user_id}"

    def named_in(self, admins: frozenset[str]) -> bool:
        """Whether COPRODUCE_ADMINS names this person, by user id or by alias."""
        return self.admin_key in admins or (
            self.alias is not None and f"{self.platform}:{self.alias}" in admins
        )


@dataclass(frozen=True)
class Conversation:
    """Where it happened: a 1:1 chat with the bot, or a group channel.

    `address` is opaque to the engine: the adapter's way to post here again later (digests).
    """

    id: str
    kind: Literal["direct", "group"]
    address: str | None = None


@dataclass(frozen=True)
class IncomingMessage:
    """Free text sent to the bot that is not a command."""

    actor: Actor
    conversation: Conversation
    text: str
    delivery_id: str | None = None


@dataclass(frozen=True)
class CommandInvoked:
    """A command such as `/idea` with the rest of the line as `text`.

    `mentions` are the people named in it, in order, already resolved by the adapter.
    """

    actor: Actor
    conversation: Conversation
    name: str
    text: str
    delivery_id: str | None = None
    mentions: tuple[Actor, ...] = ()
    channels: tuple[Conversation, ...] = ()


@dataclass(frozen=True)
class ActionInvoked:
    """A button press or form submission; `inputs` holds form fields by name."""

    actor: Actor
    conversation: Conversation
    action_id: str
    value: str
    inputs: Mapping[str, str] = field(default_factory=dict)
    delivery_id: str | None = None


@dataclass(frozen=True)
class MeetingEnded:
    """The platform says a meeting in this conversation ended (Teams' meetingEnd event)."""

    actor: Actor
    conversation: Conversation
    title: str
    external_id: str | None = None
    delivery_id: str | None = None


@dataclass(frozen=True)
class HomeOpened:
    """The person opened the bot's home (Slack App Home)."""

    actor: Actor
    conversation: Conversation
    delivery_id: str | None = None


Event = IncomingMessage | CommandInvoked | ActionInvoked | MeetingEnded | HomeOpened
