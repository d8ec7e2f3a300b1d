"""Which rule handles which event: the engine's routing table, and nothing else."""

from __future__ import annotations

from dataclasses import replace

from bot import words
from bot.contributions import following, home, ideas, time_spent
from bot.contributions.record import record
from bot.groups import routing
from bot.groups.commands import group_command, groups_command
from bot.groups.groups import make_group
from bot.guests import commands as guest_commands
from bot.help import help_reply, unknown_command_reply
from bot.i18n import _
from bot.loop.credit import give_credit
from bot.loop.digest_commands import digest_command
from bot.loop.status_updates import update_status
from bot.report.access import report_command
from bot.seam.events import (
    ActionInvoked,
    CommandInvoked,
    Event,
    HomeOpened,
    IncomingMessage,
    MeetingEnded,
)
from bot.seam.messages import Context, Reply, simple
from bot.sessions import agenda, attendance, meetings, reflection
from bot.trust import my_data, pausing, quiet_voices, welcome
from bot.trust.facilitators import facilitators_command
from bot.trust.language import language_command
from bot.trust.roles import facilitators_only
from bot.trust.workspace_settings import settings_command
from bot.turn import Turn
from storage import meetings as meeting_store
from storage.models import Meeting


def needs_roster(event: Event) -> bool:
    """Whether handling this event asks who is in the channel (meetings, making a group,
    participation)."""
    if event.conversation.kind != "group":
        return False
    if isinstance(event, MeetingEnded):
        return True
    if isinstance(event, CommandInvoked):
        name, words = event.name.lower(), event.text.strip().lower().split()
        return name == "meeting" or (
            name == "coproduce" and words[:1] in (["participation"], ["group"])
        )
    return False


async def dispatch(turn: Turn) -> list[Reply]:
    event = turn.event
    if isinstance(event, IncomingMessage):
        if event.conversation.kind != "direct":
            return []
        reading = words.read(event.text)
        if reading.name is not None:
            typed = CommandInvoked(
                event.actor,
                event.conversation,
                reading.name,
                reading.text,
                delivery_id=event.delivery_id,
            )
            return await command(turn, typed)
        saved = await reflection.capture_afterthought(turn, event.text, turn.now)
        if saved is None:
            saved = await ideas.capture(turn, event.text, source="direct")
        if reading.looked_like is not None:
            blocks = (*saved.message.blocks, Context(words.hint(reading.looked_like)))
            saved = replace(saved, message=replace(saved.message, blocks=blocks))
        return [saved]
    if isinstance(event, CommandInvoked):
        return await command(turn, event)
    if isinstance(event, ActionInvoked):
        return [await action(turn, event)]
    if isinstance(event, MeetingEnded):
        return await meeting_ended(turn, event)
    if isinstance(event, HomeOpened):
        return [await home.home(turn)]
    return []


async def action(turn: Turn, event: ActionInvoked) -> Reply:
    if event.action_id in ideas.IDEA_ACTIONS:
        return await ideas.act(turn, event.action_id, event.value, dict(event.inputs))
    if event.action_id in (following.FOLLOW, following.UNFOLLOW):
        return await following.act(turn, event.action_id, event.value)
    if event.action_id == routing.CHOOSE:
        return await routing.choose(turn, event.value)
    if event.action_id == welcome.CONSENT:
        return welcome.acknowledge(turn)
    if event.action_id in my_data.FORGET_ACTIONS:
        return await my_data.forget(turn, event.action_id)
    if event.action_id in quiet_voices.ACTIONS:
        return quiet_voices.act(turn, event.action_id)
    if event.action_id in (home.UPDATE, home.UPDATE_SUBMIT):
        return await home.act(turn, event.action_id, event.value, dict(event.inputs))
    if event.action_id == agenda.VOTE:
        return await agenda.vote(turn, event.value)
    if event.action_id == agenda.UNVOTE:
        return await agenda.unvote(turn, event.value)
    if event.action_id == agenda.BRING_BACK:
        return await agenda.bring_back(turn, event.value)
    if event.action_id == agenda.MOVE_UP:
        return await agenda.move_up(turn, event.value)
    if event.action_id == agenda.CONFIRM:
        return await agenda.confirm(turn, event.value)
    if event.action_id == agenda.CANCEL:
        return Reply(simple(_("No changes: the agenda stays as it is.")), replace_original=True)
    if event.action_id == guest_commands.RENEW:
        return await guest_commands.renew_link(turn)
    if event.action_id in attendance.ACTIONS:
        return await attendance.act(turn, event.action_id, event.value, dict(event.inputs))
    if event.action_id in reflection.ACTIONS:
        return await reflection.act(
            turn, event.action_id, event.value, dict(event.inputs), turn.now
        )
    return Reply(simple(_("Sorry, that button has expired. Please try again.")))


async def command(turn: Turn, event: CommandInvoked) -> list[Reply]:
    name = event.name.lower()
    if name == "idea":
        text, anonymous = ideas.parse_idea_command(event.text)
        return [await ideas.capture(turn, text, source="command", anonymous=anonymous)]
    if name == "ideas":
        return [await home.home(turn)]
    if name in ("follow", "unfollow"):
        return [await following.command(turn, name, event.text)]
    if name == "agenda":
        return [await agenda.agenda_command(turn, event.text)]
    if name == "digest":
        return [await digest_command(turn, event.text)]
    if name == "update":
        return [await update_status(turn, event.text)]
    if name == "credit":
        return [await give_credit(turn, event)]
    if name == "meeting":
        return await meetings.meeting_command(turn, event.text)
    if name == "coproduce":
        return [await coproduce(turn, event)]
    return [unknown_command_reply(name)]


async def coproduce(turn: Turn, event: CommandInvoked) -> Reply:
    sub, _space, rest = event.text.strip().partition(" ")
    sub = sub.lower()
    if sub in ("", "help"):
        return help_reply(urgent_help=turn.config.urgent_help, facilitator=turn.is_facilitator)
    if sub == "record":
        return await record(turn)
    if sub == "whoami":
        return whoami(turn)
    if sub == "settings":
        return await settings_command(turn, rest)
    if sub == "pause":
        return pausing.pause(turn, rest)
    if sub == "my-data":
        return await my_data.export(turn)
    if sub == "forget-me":
        return my_data.confirm_forget()
    if sub == "facilitators":
        return await facilitators_command(turn, event, rest)
    if sub == "anonymous":
        return await anonymity_default(turn, rest)
    if sub == "public-thanks":
        return public_thanks(turn, rest)
    if sub == "participation":
        refusal = facilitators_only(turn, _("see participation"))
        return refusal or await quiet_voices.participation(turn)
    if sub == "resume":
        return pausing.resume(turn)
    if sub == "language":
        return language_command(turn, rest)
    if sub == "time":
        return await time_spent.add(turn, rest)
    if sub == "group":
        return await group_command(turn, rest)
    if sub == "groups":
        return await groups_command(turn)
    if sub == "report":
        return await report_command(turn)
    if sub == "invite":
        return await guest_commands.invite(turn, rest)
    if sub == "guests":
        return await guest_commands.guests_command(turn, rest)
    return unknown_command_reply(f"coproduce {sub}")


async def meeting_ended(turn: Turn, event: MeetingEnded) -> list[Reply]:
    """Teams' meeting-end event: end the running meeting, or record one that ends now."""
    workspace_id: int = turn.workspace_id
    if turn.group is None:
        await make_group(turn, by_facilitator=False)  # a meeting is had by a group
    meeting = await meeting_store.current_meeting(
        session=turn.session,
        workspace_id=workspace_id,
        channel_id=event.conversation.id,
        status="running",
    )
    if meeting is None:
        meeting = Meeting(
            workspace_id=workspace_id,
            group_id=turn.group.id if turn.group else None,
            channel_id=event.conversation.id,
            title=(event.title or "Meeting")[: meetings.MAX_TITLE],
            external_id=event.external_id,
            status="running",
            started_at=turn.now,
            facilitator_id=turn.person_id,
        )
        meeting = await meeting_store.add_meeting(session=turn.session, meeting=meeting)
    return await meetings.finish(turn, meeting)


def whoami(turn: Turn) -> Reply:
    """The person's own platform id, as COPRODUCE_ADMINS names people, so an operator can
    make them an admin without digging through the platform's settings."""
    key = turn.event.actor.admin_key
    role = {"admin": _("an admin"), "facilitator": _("a facilitator")}.get(
        turn.person.role, _("a member")
    )
    return Reply(
        simple(
            _(
                "You are {key} (workspace {workspace}), and {role} here. To make someone an "
                "admin, the person who runs Coproduce adds their id, like {key}, to "
                "COPRODUCE_ADMINS and restarts it.",
                key=key,
                workspace=turn.workspace.external_id,
                role=role,
            )
        ),
        private=True,
    )


def public_thanks(turn: Turn, value: str) -> Reply:
    """Whether credits to this person are named in the group's digest (they always go on
    their own record and reach them privately)."""
    choice = value.strip().lower()
    if choice not in ("on", "off"):
        current = _("on") if turn.person.public_thanks else _("off")
        return Reply(
            simple(
                _(
                    "Public thanks is {current} for you. With it on, thanks you receive are "
                    "named in the group's \u201cYou said, we did\u201d post. Use /coproduce "
                    "public-thanks on, or /coproduce public-thanks off.",
                    current=current,
                )
            )
        )
    turn.person.public_thanks = choice == "on"
    if choice == "on":
        return Reply(simple(_("Done: thanks to you will be named in the group's post. Thank you!")))
    return Reply(
        simple(
            _(
                "Done: the group's post will thank \u201ca group member\u201d instead of naming "
                "you. You'll still hear every thank-you privately, and it stays on your record."
            )
        )
    )


async def anonymity_default(turn: Turn, value: str) -> Reply:
    """A person's own default: are new ideas anonymous unless they say otherwise?"""
    choice = value.strip().lower()
    if choice not in ("on", "off"):
        group = await turn.working_group()
        current = _("on") if ideas.anonymous_by_default(turn, group) else _("off")
        return Reply(
            simple(
                _(
                    "Anonymous by default is {current} for you. Use /coproduce anonymous on, or "
                    "/coproduce anonymous off.",
                    current=current,
                )
            )
        )
    turn.person.anonymous_default = choice == "on"
    turn.person.anonymous_chosen = True
    if choice == "on":
        return Reply(
            simple(_("Done: your new ideas will be anonymous unless you choose otherwise."))
        )
    return Reply(
        simple(_("Done: your new ideas will show your name unless you make them anonymous."))
    )
