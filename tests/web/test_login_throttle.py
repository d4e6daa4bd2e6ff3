"""Password guessing is stopped or slowed down; the account's owner still gets in."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from cxgap.db.tables import LoginFailure
from cxgap.errors import LoginSlowedDown
from cxgap.services import login_throttle
from cxgap.services.core import Cxgap
from tests.factories import PASSWORD, make_user
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: concurrent counters

OWNER = "ana@example.com"


@contextmanager
def browser(cx: Cxgap, address: str) -> Iterator[TestClient]:
    """A browser of its own (cookies included) connecting from ``address``."""
    with TestClient(app_for(cx), client=(address, 50000)) as client:
        yield client


def sign_in(client: TestClient, password: str, lang: str = "en") -> tuple[int, str]:
    token = csrf_of(client.get(f"/login?lang={lang}").text)
    data = {"email": OWNER, "password": password, "csrf_token": token}
    response = client.post("/login", data=data, follow_redirects=False)
    return response.status_code, response.text


def guess_from(cx: Cxgap, addresses: list[str]) -> list[int]:
    codes = []
    for address in addresses:
        with browser(cx, address) as attacker:
            codes.append(sign_in(attacker, "wrong guess")[0])
    return codes


def test_wrong_passwords_from_five_addresses_do_not_lock_the_owner_out(sqlite_cx: Cxgap) -> None:
    # The attack of the report: five wrong passwords from five addresses locked the account
    # for 15 minutes, its owner included.
    with sqlite_cx.transaction() as session:
        make_user(session, OWNER)
    assert guess_from(sqlite_cx, [f"198.51.100.{n}" for n in range(5)]) == [401] * 5
    with browser(sqlite_cx, "192.0.2.10") as owner:
        assert sign_in(owner, PASSWORD)[0] == 303


def test_one_address_guessing_is_stopped_without_stopping_the_owner(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        make_user(session, OWNER)
    with browser(sqlite_cx, "198.51.100.1") as attacker:
        assert [sign_in(attacker, "wrong")[0] for _ in range(5)] == [401] * 5
        assert sign_in(attacker, PASSWORD)[0] == 429  # even the right password waits
    with browser(sqlite_cx, "192.0.2.10") as owner:
        assert sign_in(owner, PASSWORD)[0] == 303


def test_a_guesser_with_many_addresses_is_slowed_down_and_the_owner_gets_in(
    sqlite_cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A minute's first wait instead of a second: the test does not depend on its own speed.
    monkeypatch.setattr(login_throttle, "FIRST_DELAY", 60.0)
    with sqlite_cx.transaction() as session:
        make_user(session, OWNER)
    with browser(sqlite_cx, "192.0.2.10") as owner:
        assert sign_in(owner, PASSWORD)[0] == 303  # the owner's usual browser, remembered
        owner.cookies.delete("cxgap_session")  # signed out; the device cookie stays
        # Ten guesses go through; the next ones, sent without waiting, are refused.
        free = login_throttle.ACCOUNT_FREE_FAILURES
        addresses = [f"198.51.100.{n}" for n in range(free + 3)]
        assert guess_from(sqlite_cx, addresses) == [401] * free + [429] * 3
        # The next guess, from yet another address, must wait, whatever the password.
        with browser(sqlite_cx, "203.0.113.99") as attacker:
            code, page = sign_in(attacker, PASSWORD)
            assert code == 429
            assert re.search(r"wait [1-6][0-9] seconds before trying again", page)
            code, page = sign_in(attacker, "wrong again", lang="fr")
            assert code == 429 and re.search(
                r"patientez [1-6][0-9] secondes avant de réessayer", page
            )
        assert sign_in(owner, PASSWORD)[0] == 303


def test_the_wait_doubles_with_each_failure_and_runs_out(cx: Cxgap) -> None:
    keys = login_throttle.login_keys(email=OWNER, client_ip="198.51.100.1", secret="s")
    with cx.transaction() as session:
        for _ in range(login_throttle.ACCOUNT_FREE_FAILURES):
            login_throttle.record_login_failure(session, keys)
        session.flush()
        first = login_throttle.account_wait(session, keys, now=datetime.now(UTC))
        login_throttle.record_login_failure(session, keys)
        login_throttle.record_login_failure(session, keys)
        session.flush()
        now = datetime.now(UTC)
        third = login_throttle.account_wait(session, keys, now=now)
        later = login_throttle.account_wait(session, keys, now=now + timedelta(seconds=5))
    assert (first, third, later) == (1, 4, 0)
    assert login_throttle.is_known_device(keys, keys.device)
    assert not login_throttle.is_known_device(keys, None)
    other = login_throttle.login_keys(email="bob@example.com", client_ip="1.2.3.4", secret="s")
    assert not login_throttle.is_known_device(other, keys.device)


def test_guesses_sent_at_the_same_moment_get_one_try(cx: Cxgap) -> None:
    # Ten failures two minutes ago: the account's wait is over, for one guess only.
    keys = [
        login_throttle.login_keys(email=OWNER, client_ip=f"198.51.100.{n}", secret="s")
        for n in range(CONCURRENT)
    ]
    long_ago = datetime.now(UTC) - timedelta(minutes=2)
    with cx.transaction() as session:
        for _ in range(login_throttle.ACCOUNT_FREE_FAILURES):
            session.add(LoginFailure(key_hash=keys[0].account, at=long_ago))
    start = threading.Barrier(CONCURRENT)
    engine = create_engine(cx.settings.database_url, poolclass=NullPool, connect_args=_args(cx))

    def guess(n: int) -> str:
        with Session(engine) as session, session.begin():
            start.wait(timeout=60)
            try:
                login_throttle.check_login_allowed(session, keys[n], known_device=False)
            except LoginSlowedDown:
                return "waits"
            login_throttle.record_login_failure(session, keys[n])  # a wrong password
            return "tried"

    try:
        with ThreadPoolExecutor(CONCURRENT) as pool:
            outcomes = list(pool.map(guess, range(CONCURRENT)))
    finally:
        engine.dispose()
    assert sorted(outcomes) == ["tried"] + ["waits"] * (CONCURRENT - 1)


CONCURRENT = 12


def _args(cx: Cxgap) -> dict[str, object]:
    is_sqlite = cx.settings.database_url.startswith("sqlite")
    return {"timeout": 60, "check_same_thread": False} if is_sqlite else {}
