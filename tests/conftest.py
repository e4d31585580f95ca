"""Real PostgreSQL for every test: the embedded server (or DATABASE_URL), a template
database migrated once per session, and a fresh copy of it for each test."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from tests.support.core import ROOT, Api
from tests.support.core import with_db as _with_db
from tests.support.database import Dropper
from web.app import bind, build_app
from web.bootstrap import Services, bootstrap, build_projections
from web.database import embedded_server, eventsourcing_env, migrate
from web.settings import Settings

__all__ = ["ROOT", "Api"]  # for modules that still import them from here
# fixtures several test modules use, defined beside their helpers
pytest_plugins = ["tests.support.elections", "tests.support.memory"]


# No test is timed: a property's example may take longer on a busy machine than Hypothesis's
# default deadline (200 ms) without anything being wrong.
hypothesis.settings.register_profile("thidua", deadline=None)
hypothesis.settings.load_profile("thidua")

# The files that take longest (a generated year or a real server each), started first: on
# several processes (make test) the last file to start should not be the longest.
LONGEST_FIRST = (
    "tests/integration/test_years.py",
    "tests/integration/test_generator.py",
    "tests/reliability/test_projector_crash.py",
    "tests/fuzz/test_openapi.py",
    "tests/integration/test_sample_worlds.py",
    "tests/reliability/test_outage.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="thidua-pg-") as tmp:
        server = embedded_server(Path(tmp))
        yield str(server.get_uri())
        server.cleanup()


@pytest.fixture(scope="session")
def template_db(server_url: str) -> Iterator[str]:
    """A database with the event tables, tracking tables and views migrated."""
    name = f"thidua_tpl_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {}").format(Identifier(name)))
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    url = _with_db(server_url, name)
    migrate(url, "views")
    from domain.application import Thidua

    app = Thidua(env=eventsourcing_env(url, pool_size=1, pool_overflow=1))
    app.close()
    for p in build_projections(url, "views").values():
        p.view.datastore.close()
    yield name
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))


@pytest.fixture(scope="session")
def dropper(server_url: str) -> Iterator[Dropper]:
    d = Dropper(server_url)
    yield d
    d.finish()


@pytest.fixture(scope="session")
def year_template(server_url: str, template_db: str,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The database of ``year_api``, generated once per session (and process): a year of one
    province (domain/sample/generator/), its views caught up; with the audit signing key its
    checkpoints were signed with. Each test that asks for ``year_api`` gets a copy."""
    from domain.sample.generator import generate

    name = f"thidua_year_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {}").format(Identifier(name)))
        conn.execute(SQL("CREATE DATABASE {} TEMPLATE {}").format(Identifier(name),
                                                                  Identifier(template_db)))
    where = tmp_path_factory.mktemp("year")
    made = bootstrap(Settings(database_url=_with_db(server_url, name), data_dir=where,
                              pool_size=3, pool_overflow=5,
                              signing_key=where / "signing-key.pem"),
                     start_projections=False)
    try:
        generate(made.app, years=1, first_year=2024, seed=3, provinces=1)
        made.runner.catch_up()
    finally:
        made.close()
    yield name, where / "signing-key.pem"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))


@pytest.fixture
def db_url(request: pytest.FixtureRequest, server_url: str, template_db: str,
           dropper: Dropper) -> Iterator[str]:
    """A fresh database: a copy of the migrated template, or of the generated year for a test
    that asks for ``year_api``."""
    source = (request.getfixturevalue("year_template")[0]
              if "year_api" in request.fixturenames else template_db)
    name = f"thidua_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {} TEMPLATE {}").format(Identifier(name),
                                                                  Identifier(source)))
    yield _with_db(server_url, name)
    dropper.drop(name)


@pytest.fixture
def settings(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Settings:
    key = tmp_path / "signing-key.pem"
    if "year_api" in request.fixturenames:  # the key the copied year's checkpoints carry
        made_with = request.getfixturevalue("year_template")[1]
        if made_with.exists():
            shutil.copy2(made_with, key)
    return Settings(database_url=db_url, data_dir=tmp_path, pool_size=3, pool_overflow=5,
                    signing_key=key)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    s = bootstrap(settings, start_projections=True)
    yield s
    s.close()


@pytest.fixture
def app(services: Services, settings: Settings) -> Any:
    return services.app


@pytest.fixture(scope="session")
def built_apps() -> dict[tuple[Any, ...], Any]:
    """Flask apps built once per session, by what building one depends on: its routes and
    OpenAPI document take longer to build than most tests take to run."""
    return {}


@pytest.fixture
def flask_app(request: pytest.FixtureRequest, services: Services, settings: Settings,
              built_apps: dict[tuple[Any, ...], Any]) -> Any:
    """The app, built once per kind of settings; a test marked ``own_app`` (it adds a route)
    gets one of its own."""
    key = (settings.max_body_bytes, settings.trusted_proxies)
    if request.node.get_closest_marker("own_app"):
        own = build_app(settings)
        own.config["TESTING"] = True
        return bind(own, services)
    if key not in built_apps:
        built_apps[key] = build_app(settings)
        built_apps[key].config["TESTING"] = True
    return bind(built_apps[key], services)


@pytest.fixture
def client(flask_app: Any) -> Any:
    return flask_app.test_client()


@pytest.fixture
def api(client: Any, services: Services) -> Api:
    a = Api(client, services)
    services.app.register_unit(ROOT, code="VTDKT", name="Vụ Thi đua - Khen thưởng",
                               level="central", parent_code=None, effective="2020-01-01")
    a.user("admin", ["admin", "standing_office", "auditor"], "VTDKT")
    return a


@pytest.fixture
def year_api(client: Any, services: Services) -> Api:
    """A generated year of one province (domain/sample/generator/: groups, elections, covenants,
    every kind of score sheet, nominations, the decision), read by an admin: the test's
    database is a copy of ``year_template``."""
    from projections.base import wait_for

    a = Api(client, services)
    a.user("admin", ["admin", "standing_office", "auditor"], "VTDKT")
    a.last_position = services.runner.head()
    for projection in services.projections.values():
        assert wait_for(projection.view, services.app.name, a.last_position, 30), projection
    return a
