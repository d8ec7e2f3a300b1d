"""`/coproduce invite <email> …`, `/coproduce guests` and `/coproduce guests remove <email>`:
a group's facilitators invite people who have no Slack or Teams account, see who they
invited, and stop a link at once."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from bot.guests import links
from bot.i18n import _, speaking
from bot.loop.notify import queue_private
from bot.seam.messages import Heading, Message, Paragraph, Reply, simple
from bot.sessions.dates import short_date
from bot.trust.roles import group_facilitators_only
from bot.trust.welcome import NOTE
from bot.turn import Turn, name_of
from storage import guests as guest_store
from storage.models import Group, as_utc, id_of

RENEW = "guest.renew"
MAX_INVITES = 20  # in one command: more is a mailing list, not an invitation


def _not_on(turn: Turn) -> Reply | None:
    if turn.config.guests and turn.config.public_url and turn.config.secret_key:
        return None
    return Reply(
        simple(
            _(
                "Guests are not turned on yet. The person who runs Coproduce can turn them on. "
                "They set SMTP_URL and MAIL_FROM for email, and COPRODUCE_PUBLIC_URL and "
                "COPRODUCE_SECRET_KEY for the guests' pages."
            )
        )
    )


async def _this_group(turn: Turn, doing: str) -> Group | Reply:
    if turn.group is None:
        return Reply(
            simple(
                _(
                    "Please do this in the group's channel, so I know which group the guests "
                    "are for."
                )
            )
        )
    refusal = await group_facilitators_only(turn, turn.group.id, doing)
    return refusal if refusal is not None else turn.group


def address_of(text: str) -> str | None:
    """The address as the standards read it (validated, domain lower-cased), or None."""
    try:
        checked = validate_email(text.strip("<>,;"), check_deliverability=False)
    except EmailNotValidError:
        return None
    return str(checked.normalized)


def invitation(group: Group, inviter: str, urgent_help: str) -> Message:
    """The first email a guest gets: who asked, what it is, and that it is up to them."""
    return Message(
        summary=_("You're invited to share your views with {group}", group=group.name),
        blocks=(
            Heading(_("You're invited to take part")),
            Paragraph(
                _(
                    "{inviter} has invited you to share your ideas and experience with the "
                    "{group} group. You don't need Slack or Teams: everything works from your "
                    "own private page, and by email.",
                    inviter=inviter,
                    group=group.name,
                )
            ),
            Paragraph(
                _(
                    "On your page you can share an idea, with or without your name. You can "
                    "see what happens to each idea, and pause or stop at any time."
                )
            ),
            Paragraph(_("Thank you. What you know from your own life helps a lot.")),
            Paragraph(_(NOTE)),
            Paragraph(_(urgent_help)),
        ),
    )


async def invite(turn: Turn, rest: str) -> Reply:
    refusal = _not_on(turn)
    if refusal is not None:
        return refusal
    found = await _this_group(turn, _("invite guests"))
    if isinstance(found, Reply):
        return found
    group = found
    words = rest.split()
    if not words:
        return Reply(
            simple(
                _("Please add an email for each one, like this: /coproduce invite sam@example.org")
            )
        )
    if len(words) > MAX_INVITES:
        return Reply(
            simple(
                _(
                    "Please invite up to {limit} people at a time. Nobody has been invited yet.",
                    limit=MAX_INVITES,
                )
            )
        )
    invited, already, unreadable = [], [], []
    assert turn.config.secret_key is not None
    for word in words:
        email = address_of(word)
        if email is None:
            unreadable.append(word)
            continue
        guest, person, new = await guest_store.invite(
            session=turn.session,
            workspace_id=turn.workspace_id,
            group_id=id_of(group),
            email=email,
            name=email.split("@")[0],
            invited_by_id=turn.person_id,
            now=turn.now,
        )
        if not new:
            already.append(email)
            continue
        salt = links.new_salt()
        guest_store.set_link(
            guest, salt=salt, link_hash=links.token_hash(links.token(turn.config.secret_key, salt))
        )
        with speaking(person.language):
            note = invitation(
                group, name_of(turn.person, _("A facilitator")), turn.config.urgent_help
            )
        await turn.tell(
            person=person,
            key=f"guest-invitation:{guest.id}:{salt[:12]}",
            kind="guest-invitation",
            message=note,
            group=group,
        )
        invited.append(email)
    turn.groups_changed()
    lines = []
    if invited:
        lines.append(
            _("Thank you. I've emailed an invitation to: {people}.", people=", ".join(invited))
        )
    if already:
        lines.append(_("Already invited: {people}.", people=", ".join(already)))
    if unreadable:
        lines.append(
            _(
                "These don't look like email addresses, so I left them out: {words}.",
                words=", ".join(unreadable),
            )
        )
    return Reply(Message(summary=lines[0], blocks=tuple(Paragraph(line) for line in lines)))


async def guests_command(turn: Turn, rest: str) -> Reply:
    refusal = _not_on(turn)
    if refusal is not None:
        return refusal
    words = rest.split()
    if words[:1] == ["remove"]:
        return await _remove(turn, words[1:])
    found = await _this_group(turn, _("see the group's guests"))
    if isinstance(found, Reply):
        return found
    guests = await guest_store.of_group(session=turn.session, group_id=id_of(found))
    if not guests:
        return Reply(
            simple(
                _(
                    "{group} has no guests yet. Invite someone with /coproduce invite "
                    "sam@example.org.",
                    group=found.name,
                )
            )
        )
    zone = turn.timezone
    lines = []
    # Nothing about visits, not even whether there was one: a guest who never opened their page
    # cannot have shared anything, and knowing that narrows who wrote an anonymous idea.
    for guest, person in guests:
        stopped = _(", emails stopped") if guest.emails_off else ""
        # Outside the f-string: Python 3.11's extractor cannot see a message inside one.
        name = name_of(person, _("a guest"))
        lines.append(
            f"\u2022 {name} \u00b7 {guest.email} \u00b7 "
            + _("invited {date}", date=short_date(as_utc(guest.invited_at), zone))
            + stopped
        )
    return Reply(
        Message(
            summary=_("Guests of {group}", group=found.name),
            blocks=(
                Heading(_("Guests of {group}", group=found.name)),
                Paragraph("\n".join(lines)),
                Paragraph(_("To stop someone's link: /coproduce guests remove their@email.")),
            ),
        )
    )


async def _remove(turn: Turn, words: list[str]) -> Reply:
    found = await _this_group(turn, _("remove guests"))
    if isinstance(found, Reply):
        return found
    email = address_of(words[0]) if words else None
    guest = (
        await guest_store.find(session=turn.session, group_id=id_of(found), email=email)
        if email
        else None
    )
    if guest is None or guest.removed_at is not None:
        return Reply(
            simple(
                _(
                    "I can't find that guest in {group}. /coproduce guests lists them.",
                    group=found.name,
                )
            )
        )
    await guest_store.remove(session=turn.session, guest=guest, now=turn.now)
    turn.groups_changed()
    return Reply(
        simple(
            _(
                "Done: {email}'s link has stopped working, and they have left {group}. What "
                "they shared stays.",
                email=email,
                group=found.name,
            )
        )
    )


async def renew_link(turn: Turn) -> Reply:
    """The guest asked for a new link (theirs may have been shared): the old one stops now and
    the new one goes to their email, never onto the page."""
    guest = await guest_store.of_person(session=turn.session, person_id=turn.person_id)
    if guest is None or guest.removed_at is not None or not turn.config.secret_key:
        return Reply(simple(_("Sorry, that button has expired. Please try again.")))
    salt = links.new_salt()
    guest_store.set_link(
        guest, salt=salt, link_hash=links.token_hash(links.token(turn.config.secret_key, salt))
    )
    # Now, not after quiet hours: they are waiting for it.
    turn.enqueued += await queue_private(
        turn.session,
        person=turn.person,
        key=f"guest-link:{guest.id}:{salt[:12]}",
        kind="guest-link",
        now=turn.now,
        message=Message(
            summary=_("Your new link"),
            blocks=(
                Paragraph(
                    _("Here is your new link to your page. The old one has stopped working.")
                ),
            ),
        ),
    )
    return Reply(simple(_("Done. We've emailed you a new link, and this one has stopped working.")))
