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
