"""points ledger

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pointsentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["livesession.id"],
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "key"),
    )
    with op.batch_alter_table("pointsentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pointsentry_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pointsentry_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pointsentry_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pointsentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pointsentry_team_id"))
        batch_op.drop_index(batch_op.f("ix_pointsentry_session_id"))
        batch_op.drop_index(batch_op.f("ix_pointsentry_participant_id"))

    op.drop_table("pointsentry")
