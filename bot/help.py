"""The help text: every command a person can use, in plain words."""

from __future__ import annotations

from bot.i18n import N_, _
from bot.seam.messages import Block, Context, Facts, Heading, Message, Paragraph, Reply

_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/idea <your idea>", N_("Share an idea. You can also just send me a message.")),
    (
        "/idea anonymous <your idea>",
        N_(
            "Share an idea with no name on it: nobody is told it's yours. In a group of fewer "
            "than 5, others might still guess."
        ),
    ),
    ("/ideas", N_("See the ideas you have shared and where each one has got to.")),
    ("/follow 12", N_("Hear privately whenever idea 12 moves on (/unfollow 12 to stop).")),
    ("/coproduce record", N_("Your record of involvement: ideas, their history, credits.")),
    (
        "/coproduce time 2h <what>",
        N_("Add time you gave, such as reading or travel, to your record."),
    ),
    (
        "/coproduce groups",
        N_("The groups you are in. Each group is a channel, with its own meetings and agenda."),
    ),
    ("/agenda add <item> · /agenda", N_("Suggest something for the next session; vote privately.")),
    (
        "/coproduce pause [for 2 weeks] · /coproduce resume",
        N_("Take a break from requests for afterthoughts, for good or for a while."),
    ),
    ("/coproduce anonymous on|off", N_("Whether your new ideas are anonymous unless you say.")),
    (
        "/coproduce public-thanks on|off",
        N_("Whether thanks to you are named in the group's weekly post."),
    ),
    ("/coproduce my-data", N_("A copy of everything Coproduce keeps about you.")),
    ("/coproduce forget-me", N_("Delete your data (you choose what happens to your ideas).")),
    (
        "/coproduce language cy",
        N_("Siaradwch \u00e2 fi yn Gymraeg. (/coproduce language en: English.)"),
    ),
    ("/coproduce help", N_("Show this list.")),
)

_FACILITATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    (
        "/update 12 green-lit <note>",
        N_(
            "Move an idea on: considering, green-lit, in-progress, "
            "done, or parked (with a reason). Everyone behind it is told privately."
        ),
    ),
    ("/credit @name [#12] for <what>", N_("Thank people by name, privately and on the record.")),
    (
        "/meeting start <title> · /meeting end",
        N_(
            "Run a session in the group's channel. When it ends, everyone is asked privately, "
            "after a quiet pause, to share afterthoughts."
        ),
    ),
    ("/meeting schedule <title> <when>", N_("Put a session in the diary: next Friday 2pm.")),
    ("/agenda triage", N_("Keep the top half of the agenda by votes; park the rest kindly.")),
    ("/agenda move A3 1", N_("Change the order of the kept items; bring parked ones back.")),
    ("/digest [preview]", N_("Post the weekly \u201cYou said, we did\u201d now, or preview it.")),
    (
        "/coproduce settings [<name> <value>]",
        N_(
            "See or change how this group works: timing, anonymity and the weekly post. Admins "
            "also set the time zone and how long data is kept."
        ),
    ),
    (
        "/coproduce participation",
        N_("In the group's channel: how many of its members took part lately, in total."),
    ),
    (
        "/coproduce group name <name>",
        N_("Make this channel a group, or rename it. /coproduce group shows who is in it."),
    ),
    (
        "/coproduce facilitators [add|remove @name]",
        N_("In a group's channel: who runs that group. Its facilitators and admins decide."),
    ),
    (
        "/coproduce invite <email> [<email> …]",
        N_("In the group's channel: invite people without Slack or Teams, by email."),
    ),
    (
        "/coproduce guests [remove <email>]",
        N_("In the group's channel: the guests you invited, or stop someone's link."),
    ),
    (
        "/coproduce report",
        N_("A private link to the impact report: ideas, decisions, meetings and hours."),
    ),
    ("/coproduce whoami", N_("Your id here, for whoever runs Coproduce to name you as an admin.")),
)


def _facts(commands: tuple[tuple[str, str], ...]) -> Facts:
    return Facts(tuple((command, _(meaning)) for command, meaning in commands))


def help_reply(*, urgent_help: str, facilitator: bool = False) -> Reply:
    """The list of commands, with a reminder that plain messages are ideas too."""
    extra: tuple[Block, ...] = (
        (Heading(_("For facilitators")), _facts(_FACILITATOR_COMMANDS)) if facilitator else ()
    )
    return Reply(
        Message(
            summary=_("Here is what I can do."),
            blocks=(
                Heading(_("How Coproduce works")),
                Paragraph(
                    _(
                        "Send me an idea whenever it comes to you. I'll keep it safe, give it a "
                        "number, and tell you what happens to it."
                    )
                ),
                Paragraph(_(urgent_help)),
                _facts(_COMMANDS),
                *extra,
                Context(_("Thank you for giving your time and experience.")),
            ),
        )
    )


def unknown_command_reply(name: str) -> Reply:
    """A kind answer for a command we do not have."""
    return Reply(
        Message(
            summary=_("I don't know that command."),
            blocks=(
                Paragraph(_("Sorry, I don't know the command \u201c/{name}\u201d.", name=name)),
                _facts(_COMMANDS),
            ),
        )
    )
