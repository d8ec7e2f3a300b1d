"""`/coproduce my-data` and `/coproduce forget-me`: a person's control over their own data."""

from __future__ import annotations

import json

from bot.i18n import _, n_
from bot.seam.messages import Button, Buttons, FileAttachment, Message, Paragraph, Reply, simple
from bot.trust import audit
from bot.turn import Turn
from storage.personal_data import collect, erase

FORGET_DELETE = "forget.delete"
FORGET_KEEP = "forget.keep"
FORGET_CANCEL = "forget.cancel"
FORGET_ACTIONS = (FORGET_DELETE, FORGET_KEEP, FORGET_CANCEL)


async def export(turn: Turn) -> Reply:
    """The person's own data as one JSON file, for them alone."""
    data = await collect(session=turn.session, person=turn.person)
    await audit.record(
        turn.session,
        at=turn.now,
        workspace_id=turn.workspace_id,
        actor_id=turn.person_id,
        action="export",
        subject_type="person",
        subject_id=turn.person_id,
    )
    text = _(
        "Here is a copy of everything Coproduce keeps about you. It has your ideas and what "
        "happened to them, the thanks you received, the meetings you were in, and your "
        "settings."
    )
    return Reply(
        Message(
            summary=_("Your data from Coproduce"),
            blocks=(
                Paragraph(text),
                FileAttachment(
                    "coproduce-my-data.json", json.dumps(data, indent=2, ensure_ascii=False)
                ),
            ),
        ),
        private=True,
    )


def confirm_forget() -> Reply:
    """Erasure asks first, and lets the person choose what happens to their ideas."""
    return Reply(
        Message(
            summary=_("Delete your data?"),
            blocks=(
                Paragraph(
                    _(
                        "This deletes everything Coproduce keeps about you: your name, settings, "
                        "thanks and meeting records. What should happen to your ideas? Deleting "
                        "them removes them for everyone. Keeping them anonymously leaves the "
                        "words for the group, with no link to you. This can't be undone."
                    )
                ),
                Buttons(
                    (
                        Button(_("Delete my ideas too"), FORGET_DELETE, "1", "danger"),
                        Button(_("Keep my ideas anonymously"), FORGET_KEEP, "1", "primary"),
                        Button(_("Cancel"), FORGET_CANCEL, "1"),
                    )
                ),
            ),
        ),
        private=True,
    )


async def forget(turn: Turn, action_id: str) -> Reply:
    if action_id == FORGET_CANCEL:
        return Reply(simple(_("Cancelled: nothing has been deleted.")), replace_original=True)
    keep = action_id == FORGET_KEEP
    former_id = turn.person_id
    kept = await erase(session=turn.session, person=turn.person, keep_ideas=keep, now=turn.now)
    turn.erased = True
    await audit.record(
        turn.session,
        at=turn.now,
        workspace_id=turn.workspace_id,
        actor_id=None,
        action="erasure",
        subject_type="person",
        subject_id=former_id,
        detail="kept-anonymously" if keep else "deleted",
    )
    kept_note = (
        " "
        + n_(
            "Your {count} idea stays for the group, anonymously.",
            "Your {count} ideas stay for the group, anonymously.",
            kept,
        )
        if keep and kept
        else ""
    )
    return Reply(
        simple(
            _("Done. Everything Coproduce kept about you has been deleted.")
            + kept_note
            + " "
            + _("Thank you for all you gave. You're always welcome back.")
        ),
        replace_original=True,
    )
