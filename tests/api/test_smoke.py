def test_health_needs_no_token(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.get_json()["database"] == "ok"


def test_units_need_a_token(client):
    r = client.get("/units")
    assert r.status_code == 401
    body = r.get_json()
    assert body["code"] == 401 and body["rule"] == "token_present"


def test_register_and_read_unit(api):
    r = api.post("/units", json={"code": "P01", "name": "BHXH thành phố Hà Nội",
                                 "level": "province", "effective": "2020-01-01"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["position"] > 0
    r = api.get("/units/P01")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["name"] == "BHXH thành phố Hà Nội"
