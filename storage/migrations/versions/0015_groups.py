"""many groups in a workspace: each existing workspace becomes one group

Everything already stored belongs to that group: its ideas, meetings, agenda and credits, its
people as members, and its facilitators as the group's facilitators. The group's channel is
the digest channel, or failing that the channel of the latest meeting; a workspace with
neither gets a group without a channel, and the first channel a facilitator runs /meeting or
/agenda in becomes its own. The group-level settings move from the workspace to the group.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Moved from the workspace to each group, with their defaults.
GROUP_SETTINGS = {
    "reflection_delay": (sa.String(length=32), "next-morning"),
    "quiet_hours": (sa.String(length=16), "20:00-09:00"),
    "reminder_after": (sa.String(length=16), "2d"),
    "reflection_window": (sa.String(length=16), "7d"),
    "anonymous_default": (sa.Boolean(), False),
    "digest_schedule": (sa.String(length=16), "fri 16:00"),
    "agenda_votes": (sa.String(length=16), "3"),
    "channel_language": (sa.String(length=8), "en"),
}
GROUPED_TABLES = ("idea", "meeting", "agenda_item", "credit")
# The first group's name; a facilitator renames it with /coproduce group name.
FIRST_GROUP = "Our group"
ERASED_PERSON = "erased-person"


def _create_tables() -> None:
    setting_columns = [
        sa.Column(name, kind, nullable=False) for name, (kind, _default) in GROUP_SETTINGS.items()
    ]
    op.create_table(
        "advisory_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=255), nullable=True),
        sa.Column("channel_address", sa.Text(), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        *setting_columns,
        sa.Column("digest_channel", sa.String(length=255), nullable=True),
        sa.Column("digest_address", sa.Text(), nullable=True),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "channel_id", name="uq_group_channel"),
    )
    op.create_index("ix_advisory_group_workspace_id", "advisory_group", ["workspace_id"])
    op.create_table(
        "group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["advisory_group.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "person_id", name="uq_group_member"),
    )
    op.create_index("ix_group_member_group_id", "group_member", ["group_id"])
    op.create_index("ix_group_member_person_id", "group_member", ["person_id"])
    for table in GROUPED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
            batch_op.create_index(f"ix_{table}_group_id", ["group_id"], unique=False)
            batch_op.create_foreign_key(f"fk_{table}_group", "advisory_group", ["group_id"], ["id"])


def _channels_not_threads() -> None:
    """A Teams channel is one group whichever thread people use, so the stored channel ids
    lose the thread's `;messageid=` (the translator now hands over the channel alone)."""
    bind = op.get_bind()
    threads = bind.execute(
        sa.text("SELECT id, channel_id FROM meeting WHERE channel_id LIKE '%;messageid=%'")
    ).all()
    for meeting_id, channel in threads:
        bind.execute(
            sa.text("UPDATE meeting SET channel_id = :channel WHERE id = :id"),
            {"channel": channel.split(";messageid=")[0], "id": meeting_id},
        )


def _one_group_per_workspace() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    names = ", ".join(GROUP_SETTINGS)
    workspaces = bind.execute(
        sa.text(
            f"SELECT id, digest_channel, digest_address, last_digest_at, {names} FROM workspace"
        )
    ).mappings()
    for workspace in list(workspaces):
        channel = workspace["digest_channel"]
        address = workspace["digest_address"]
        if channel is None:
            channel = bind.execute(
                sa.text(
                    "SELECT channel_id FROM meeting WHERE workspace_id = :w "
                    "ORDER BY id DESC LIMIT 1"
                ),
                {"w": workspace["id"]},
            ).scalar()
        values = {name: workspace[name] for name in GROUP_SETTINGS}
        group_id = bind.execute(
            sa.text(
                "INSERT INTO advisory_group (workspace_id, channel_id, channel_address, name, "
                f"{names}, last_digest_at, created_at) VALUES (:w, :channel, :address, :name, "
                + ", ".join(f":{name}" for name in GROUP_SETTINGS)
                + ", :last, :now) RETURNING id"
            ),
            {
                "w": workspace["id"],
                "channel": channel,
                "address": address,
                "name": FIRST_GROUP,
                "last": workspace["last_digest_at"],
                "now": now,
                **values,
            },
        ).scalar_one()
        for table in GROUPED_TABLES:
            bind.execute(
                sa.text(f"UPDATE {table} SET group_id = :g WHERE workspace_id = :w"),
                {"g": group_id, "w": workspace["id"]},
            )
        bind.execute(
            sa.text(
                "INSERT INTO group_member (group_id, person_id, role, joined_at) "
                "SELECT :g, id, CASE WHEN role = 'facilitator' THEN 'facilitator' "
                "ELSE 'member' END, created_at FROM person "
                "WHERE workspace_id = :w AND external_id != :erased"
            ),
            {"g": group_id, "w": workspace["id"], "erased": ERASED_PERSON},
        )
    # Facilitating now belongs to a group; admins stay admins (COPRODUCE_ADMINS says so).
    bind.execute(sa.text("UPDATE person SET role = 'member' WHERE role = 'facilitator'"))


def upgrade() -> None:
    _create_tables()
    _channels_not_threads()
    _one_group_per_workspace()
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        for name in (*GROUP_SETTINGS, "digest_channel", "digest_address", "last_digest_at"):
            batch_op.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        for name, (kind, default) in GROUP_SETTINGS.items():
            server_default = sa.false() if default is False else str(default)
            batch_op.add_column(
                sa.Column(name, kind, nullable=False, server_default=server_default)
            )
        batch_op.add_column(sa.Column("digest_channel", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("digest_address", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True))
    for table in GROUPED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_group", type_="foreignkey")
            batch_op.drop_index(f"ix_{table}_group_id")
            batch_op.drop_column("group_id")
    op.drop_table("group_member")
    op.drop_table("advisory_group")
