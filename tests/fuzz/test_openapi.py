"""schemathesis against the app's own OpenAPI document, with valid tokens, every check it has
(no 5xx, every answer, status, header and content type as documented, invalid input refused,
valid input not refused for its form, the Allow of a 405, auth enforced...), in positive and
negative modes, and as stateful scenarios that follow the links schemathesis infers from the
document (an id a write answers, used by the next call).

`make test` runs a few examples; `make fuzz` many (THIDUA_FUZZ_EXAMPLES examples per operation
and mode, THIDUA_FUZZ_SCENARIOS stateful scenarios). Failures are collected over every
operation and reported together."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

EXAMPLES = int(os.environ.get("THIDUA_FUZZ_EXAMPLES", "5"))
SCENARIOS = int(os.environ.get("THIDUA_FUZZ_SCENARIOS", "5"))
CONFIG = {
    "checks": {
        # A request the document calls valid may still break a rule it cannot express (a unit
        # that does not exist, a year without a cycle, a position not yet written): refused
        # with 404, 409 or 422 naming the rule. What the check still catches: a valid request
        # refused for its form (400, 413, 415), or a 5xx.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]},
    },
}
HYPOTHESIS = {"deadline": None, "derandomize": True, "database": None,
              "suppress_health_check": list(HealthCheck)}


def load(api: Any) -> Any:
    settings_ = api.services.settings
    object.__setattr__(settings_, "wait_timeout", 0.05)  # fuzzed wait_for is huge
    # ignored_auth sends bad tokens on purpose, all from one address: not an attack to stop
    object.__setattr__(settings_, "auth_failure_limit", 10**9)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", api.client.application,
                                            config=SchemathesisConfig.from_dict(CONFIG))
    schema.config.update(headers=api.headers("admin"))  # a valid token, known to the checks
    return schema


def fuzz(operation: Any, mode: Any, counted: dict[str, int]) -> None:
    label = operation.label

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, **HYPOTHESIS)
    def run(case: Any) -> None:
        counted[label] = counted.get(label, 0) + 1
        case.call_and_validate()  # every check schemathesis has

    try:
        run()
    except Unsatisfiable:
        # nothing in this operation can be made invalid: no body, no parameter but the token
        assert mode == GenerationMode.NEGATIVE and not operation.body and all(
            p.name == "Authorization" for p in operation.iter_parameters())


def test_every_operation_conforms(api: Any) -> None:
    schema = load(api)
    counted: dict[str, int] = {}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, counted)
            except (Exception, BaseExceptionGroup) as e:  # gather every operation's failure
                failures.append(f"{operation.label} ({mode.value}): {e}")
    print(f"\nschemathesis: {sum(counted.values())} cases over {len(counted)} operations")
    assert not failures, "\n\n".join(failures)
    assert len(counted) == len(operations)


def test_stateful_scenarios_conform(api: Any) -> None:
    """Sequences of calls along the inferred links, each answer checked as above (and the
    stateful checks: a deleted thing stays gone, a created one can be read)."""
    scenarios = settings(max_examples=SCENARIOS, stateful_step_count=10, **HYPOTHESIS)
    load(api).as_state_machine().run(settings=scenarios)
