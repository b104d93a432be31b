"""points summed per trainee through an index

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pointsentry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pointsentry_session_participant", ["session_id", "participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pointsentry", schema=None) as batch_op:
        batch_op.drop_index("ix_pointsentry_session_participant")
