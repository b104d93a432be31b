"""Alembic environment: uses the connection handed over by app.migrations, or the URL."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import app.customers.models  # noqa: F401  (customer hypotheses)
import app.models  # noqa: F401  (registers the tables on SQLModel.metadata)
import app.plans.models  # noqa: F401  (key-account plans)
import app.points.models  # noqa: F401  (the points ledger)

target_metadata = SQLModel.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with create_engine(context.config.get_main_option("sqlalchemy.url")).connect() as conn:
        run(conn)
        conn.commit()
