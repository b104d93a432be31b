"""a session may hide its leaderboards

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("livesession", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("leaderboards_hidden", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("livesession", schema=None) as batch_op:
        batch_op.drop_column("leaderboards_hidden")
