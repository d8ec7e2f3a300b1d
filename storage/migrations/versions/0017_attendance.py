"""who was at a meeting: everyone in the channel unless the facilitator says otherwise

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("present", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attendance_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("attendance_confirmed_at")
    with op.batch_alter_table("meeting_participant", schema=None) as batch_op:
        batch_op.drop_column("present")
