"""badges earned by trainees

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "earnedbadge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("badge_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("earned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["livesession.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "participant_id", "badge_id"),
    )
    with op.batch_alter_table("earnedbadge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_earnedbadge_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("earnedbadge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_earnedbadge_session_id"))
    op.drop_table("earnedbadge")
