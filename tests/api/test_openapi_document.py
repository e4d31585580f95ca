"""The OpenAPI document the API serves is valid OpenAPI 3, as a client generator reads it."""

from openapi_spec_validator import validate


def test_the_document_is_valid_openapi_3(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    document = r.get_json()
    assert document["openapi"].startswith("3.0")
    validate(document)  # raises, naming the first part that is not OpenAPI 3


def test_an_upload_documents_its_form_fields_in_the_multipart_body(client):
    """Swagger 2's `in: formData` does not exist in OpenAPI 3: the fields are body parts."""
    operation = client.get("/openapi.json").get_json()["paths"]["/membership-lists"]["post"]
    assert not [p for p in operation.get("parameters", []) if p["in"] == "formData"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"file", "year", "document_number", "document_date"} <= set(schema["properties"])
    assert set(schema["required"]) == {"file", "year", "document_number", "document_date"}


def test_every_operation_documents_the_400_for_an_address_that_is_not_text(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "delete"):
                assert "400" in operation["responses"], (method, path)
                schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}


def test_free_text_parameters_say_they_hold_no_control_characters(client):
    """What the API refuses with a 400 (url_text), the document says with a pattern."""
    import re

    paths = client.get("/openapi.json").get_json()["paths"]
    code = next(p for p in paths["/units"]["get"]["parameters"] if p["name"] == "code")
    pattern = re.compile(code["schema"]["pattern"])
    assert pattern.search("Thành phố Hà Nội") and pattern.search("P01")
    assert not any(pattern.search(f"P{c}01") for c in "\x00\x1b\x7f\x9b\ufffd")
    path_code = next(p for p in paths["/units/{code}"]["parameters"] if p["name"] == "code")
    assert path_code["schema"]["pattern"] == code["schema"]["pattern"]
