"""schemathesis against the app's own OpenAPI document, with valid tokens: no 5xx, every
answer matches the document, invalid input is refused. `make fuzz` runs it longer
(THIDUA_FUZZ_EXAMPLES examples per operation and mode)."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("THIDUA_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]


def fuzz(operation: Any, mode: Any, headers: dict[str, str], counted: dict[str, int]) -> None:
    label = operation.label

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        counted[label] = counted.get(label, 0) + 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        # nothing in this operation can be made invalid (no parameters, no body)
        assert mode == GenerationMode.NEGATIVE and not operation.body and not any(
            True for _ in operation.iter_parameters())


def test_every_operation_conforms(api: Any) -> None:
    object.__setattr__(api.services.settings, "wait_timeout", 0.05)  # fuzzed wait_for is huge
    schema = schemathesis.openapi.from_wsgi("/openapi.json", api.client.application)
    headers = api.headers("admin")
    counted: dict[str, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, headers, counted)
    print(f"\nschemathesis: {sum(counted.values())} cases over {len(counted)} operations")
    assert len(counted) == len(operations)
