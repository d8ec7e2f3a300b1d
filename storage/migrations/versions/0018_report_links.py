"""sign-in links to the impact report, each usable once

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_link",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("nonce"),
    )
    op.create_index("ix_report_link_person_id", "report_link", ["person_id"])
    op.create_index("ix_report_link_issued_at", "report_link", ["issued_at"])


def downgrade() -> None:
    op.drop_table("report_link")
