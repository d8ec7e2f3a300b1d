"""Group-size guidance: advisory groups work best with five or six people."""

from __future__ import annotations

from bot.i18n import _, n_
from bot.seam.messages import Context, Message, Paragraph, Reply

BEST = range(5, 7)


def guidance(count: int) -> Reply | None:
    """A private note for the facilitator when a meeting has fewer than 5 or more than 6."""
    if count in BEST:
        return None
    if count > BEST[-1]:
        advice = _(
            "This meeting has {count} participants. Groups of 5 or 6 tend to work best: "
            "everyone gets time to speak, and quieter voices are heard. You might split into "
            "two smaller groups next time.",
            count=count,
        )
    else:
        advice = n_(
            "This meeting has {count} participant. Groups of 5 or 6 tend to work best: enough "
            "different experiences, and still room for everyone. You might invite one or two "
            "more people next time.",
            "This meeting has {count} participants. Groups of 5 or 6 tend to work best: enough "
            "different experiences, and still room for everyone. You might invite one or two "
            "more people next time.",
            count,
        )
    return Reply(
        Message(
            summary=_("A note on group size, just for you."),
            blocks=(Paragraph(advice), Context(_("Only you can see this note."))),
        ),
        private=True,
    )
