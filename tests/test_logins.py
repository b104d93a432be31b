"""Facilitators' logins kept by the server (services): a live token, one past its lifetime, and
a new password from the command line ending every login."""

from datetime import timedelta

from sqlmodel import select

from app.auth import accounts, logins
from app.models import Login
from tests.support.clients import PASSWORD


def test_a_token_is_a_login_until_it_ends_or_expires(db, facilitator):
    token = logins.open_login(db, facilitator)
    assert logins.facilitator_of(db, token).id == facilitator.id
    for wrong in (None, "", 42, token + "x"):
        assert logins.facilitator_of(db, wrong) is None
    login = db.exec(select(Login)).one()
    assert login.token_hash != token  # only its hash is kept
    login.expires_at = login.created_at - timedelta(seconds=1)
    db.add(login)
    db.commit()
    assert logins.facilitator_of(db, token) is None
    logins.open_login(db, facilitator)  # a new login forgets the expired ones
    assert len(db.exec(select(Login)).all()) == 1


def test_a_new_password_from_the_command_line_ends_every_login(db, facilitator):
    tokens = [logins.open_login(db, facilitator) for _ in range(2)]
    accounts.set_password(db, facilitator.username, PASSWORD + "!")
    assert [logins.facilitator_of(db, token) for token in tokens] == [None, None]
