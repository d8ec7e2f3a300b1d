"""The help text: every command a person can use, in plain words."""

from __future__ import annotations

from bot.seam.messages import Block, Context, Facts, Heading, Message, Paragraph, Reply

_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/idea <your idea>", "Share an idea. You can also just send me a message."),
    (
        "/idea anonymous <your idea>",
        "Share an idea with no name on it: nobody is told it's yours. In a group of fewer "
        "than 5, others might still guess.",
    ),
    ("/ideas", "See the ideas you have shared and where each one has got to."),
    ("/follow 12", "Hear privately whenever idea 12 moves on (/unfollow 12 to stop)."),
    ("/coproduce record", "Your record of involvement: ideas, their history, credits."),
    ("/agenda add <item> · /agenda", "Suggest something for the next session; vote privately."),
    (
        "/coproduce pause [for 2 weeks] · /coproduce resume",
        "Take a break from requests for afterthoughts, for good or for a while.",
    ),
    ("/coproduce anonymous on|off", "Whether your new ideas are anonymous unless you say."),
    (
        "/coproduce public-thanks on|off",
        "Whether thanks to you are named in the group's weekly post.",
    ),
    ("/coproduce my-data", "A copy of everything Coproduce keeps about you."),
    ("/coproduce forget-me", "Delete your data (you choose what happens to your ideas)."),
    ("/coproduce help", "Show this list."),
)

_FACILITATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    (
        "/update 12 green-lit <note>",
        "Move an idea on: considering, green-lit, in-progress, "
        "done, or parked (with a reason). Everyone behind it is told privately.",
    ),
    ("/credit @name [#12] for <what>", "Thank people by name, privately and on the record."),
    (
        "/meeting start <title> · /meeting end",
        "Run a session in the group's channel; its end "
        "invites everyone, privately and after a quiet pause, to share afterthoughts.",
    ),
    ("/meeting schedule <title> <when>", "Put a session in the diary: next Friday 2pm."),
    ("/agenda triage", "Keep the top half of the agenda by votes; park the rest kindly."),
    ("/agenda move A3 1", "Change the order of the kept items; bring parked ones back."),
    ("/digest [preview]", "Post the \u201cYou said, we did\u201d digest now, or preview it."),
    (
        "/coproduce settings [<name> <value>]",
        "See or change reflection timing, time zone, "
        "anonymous-default, quiet-voices and retention.",
    ),
    (
        "/coproduce participation",
        "In the group's channel: how many of its members were heard from lately, in total.",
    ),
    ("/coproduce facilitators [add|remove @name]", "Admins: who facilitates."),
    ("/coproduce whoami", "Your id here, for whoever runs Coproduce to name you as an admin."),
)


def help_reply(*, urgent_help: str, facilitator: bool = False) -> Reply:
    """The list of commands, with a reminder that plain messages are ideas too."""
    extra: tuple[Block, ...] = (
        (Heading("For facilitators"), Facts(_FACILITATOR_COMMANDS)) if facilitator else ()
    )
    return Reply(
        Message(
            summary="Here is what I can do.",
            blocks=(
                Heading("How Coproduce works"),
                Paragraph(
                    "Send me an idea whenever it comes to you. I'll keep it safe, give it a "
                    "number, and tell you what happens to it."
                ),
                Paragraph(urgent_help),
                Facts(_COMMANDS),
                *extra,
                Context("Thank you for giving your time and experience."),
            ),
        )
    )


def unknown_command_reply(name: str) -> Reply:
    """A kind answer for a command we do not have."""
    return Reply(
        Message(
            summary="I don't know that command.",
            blocks=(
                Paragraph(f"Sorry, I don't know the command \u201c/{name}\u201d."),
                Facts(_COMMANDS),
            ),
        )
    )
