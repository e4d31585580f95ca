"""An API process started while its database is unreachable runs: 503 with Retry-After for
what needs the database, its health says the database is down, its documents are served, and a
command says what is wrong (web/extensions/startup.py)."""

from __future__ import annotations

from tests.support.live import free_port
from web.app import create_app
from web.settings import Settings


def test_an_app_started_without_its_database_answers_503_and_serves_its_documents(tmp_path):
    nowhere = f"postgresql://postgres@127.0.0.1:{free_port()}/thidua"
    app = create_app(Settings(database_url=nowhere, data_dir=tmp_path))
    client = app.test_client()
    health = client.get("/health")
    assert health.status_code == 503 and health.headers["Retry-After"]
    assert health.get_json()["database"] == "down"
    assert client.get("/health/ready").status_code == 503
    refused = client.get("/units", headers={"Authorization": "Bearer thd_x"})
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert refused.get_json()["rule"] == "database_available"
    written = client.post("/units", json={"code": "P01"},
                          headers={"Authorization": "Bearer thd_x"})
    assert written.status_code == 503
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    out = app.test_cli_runner().invoke(args=["users", "disable", "can.bo", "--reason", "Nghỉ hưu"])
    assert out.exit_code != 0 and "database is unreachable" in out.output
