"""The migrations create exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import app.customers.models  # noqa: F401
import app.models  # noqa: F401
import app.points.models  # noqa: F401


def test_models_and_migrations_agree(client):
    with client.app.state.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, SQLModel.metadata) == []
