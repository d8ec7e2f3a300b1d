"""A guest's form post as a neutral event: the same events chat produces, so the engine needs
nothing of its own for guests. Pure functions, like every platform's translator."""

from __future__ import annotations

from typing import Any

from bot.guests import commands
from bot.seam.events import (
    ActionInvoked,
    Actor,
    CommandInvoked,
    Conversation,
    Event,
    HomeOpened,
    IncomingMessage,
)
from storage.models import Guest, Person, Workspace


def actor_of(guest: Guest, person: Person, workspace: Workspace) -> tuple[Actor, Conversation]:
    """The guest as the engine knows them: a person of their group's workspace, reached at
    their guest id (the email messenger finds their address from it)."""
    address = str(guest.id)
    actor = Actor(
        workspace.platform,
        workspace.external_id,
        person.external_id,
        person.display_name,
        address=address,
    )
    return actor, Conversation(id=f"guest:{guest.id}", kind="direct", address=address)


def event_of(
    actor: Actor,
    conversation: Conversation,
    action: str,
    value: str,
    form: Any,
    delivery: str,
) -> Event | None:
    """A form post as a neutral event; None when it asks for nothing."""
    if action == "share":
        text = str(form.get("idea", "")).strip()
        if form.get("anonymous") == "yes":
            return CommandInvoked(
                actor, conversation, "idea", f"anonymous {text}", delivery_id=delivery
            )
        return IncomingMessage(actor, conversation, text, delivery_id=delivery)
    if action == "name":
        name = " ".join(str(form.get("name", "")).split())[:80]
        if not name:
            return None
        named = Actor(
            actor.platform, actor.workspace_id, actor.user_id, name, address=actor.address
        )
        return HomeOpened(named, conversation, delivery_id=delivery)
    settings = {
        "language": f"language {form.get('language', '')}",
        "pause": "pause for 2 weeks",
        "resume": "resume",
        "my-data": "my-data",
        "forget-me": "forget-me",
    }
    if action in settings:
        return CommandInvoked(
            actor, conversation, "coproduce", settings[action], delivery_id=delivery
        )
    if action == "new-link":
        return ActionInvoked(actor, conversation, commands.RENEW, "", delivery_id=delivery)
    if action:
        inputs = {
            key.removeprefix("field:"): ",".join(str(v) for v in form.getall(key))
            for key in form
            if key.startswith("field:")
        }
        return ActionInvoked(
            actor, conversation, action, value, inputs=inputs, delivery_id=delivery
        )
    return None
