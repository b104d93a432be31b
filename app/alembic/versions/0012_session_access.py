"""sessions belong to their owner, co-facilitators and administrators

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false()))
    # A server that ran before keeps working as it did: its first account sees every session.
    op.execute("UPDATE facilitator SET is_admin = TRUE WHERE id = (SELECT MIN(id) FROM facilitator)")
    op.create_table(
        "cofacilitator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["livesession.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "facilitator_id"),
    )
    with op.batch_alter_table("cofacilitator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cofacilitator_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cofacilitator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cofacilitator_session_id"))
    op.drop_table("cofacilitator")
    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.drop_column("is_admin")
