"""The evaluation's use-case mixins depend downward only: each subclasses EvaluationLookups
(domain/evaluation/base.py) and calls on ``self`` only what it or the classes beneath it
define, never a method of a sibling mixin; no module needs a TYPE_CHECKING stub."""

import ast
import inspect
from pathlib import Path

import pytest

import domain.evaluation
from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cases import EvaluationCases

MIXINS = [c for c in EvaluationCases.__bases__]


def self_calls(cls: type) -> set[str]:
    """The names called as ``self.name(...)`` in the class's own body."""
    tree = ast.parse(inspect.getsource(cls))
    return {node.func.attr for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"}


def test_there_are_the_six_mixins():
    assert [c.__name__ for c in MIXINS] == [
        "EvaluationCycleCases", "EvaluationSheetCases", "EvaluationNominationCases",
        "EvaluationSubmissionCases", "EvaluationDecisionCases", "EvaluationGroupCases"]


@pytest.mark.parametrize("mixin", MIXINS, ids=lambda c: c.__name__)
def test_a_mixin_calls_only_what_it_and_the_lookups_beneath_it_define(mixin):
    assert issubclass(mixin, EvaluationLookups)
    assert not any(issubclass(mixin, other) for other in MIXINS if other is not mixin)
    missing = sorted(name for name in self_calls(mixin) if not hasattr(mixin, name))
    assert not missing, f"{mixin.__name__} calls {missing}, defined only elsewhere"


def test_no_evaluation_module_needs_a_type_checking_stub():
    folder = Path(domain.evaluation.__file__).parent
    stubbed = [p.name for p in sorted(folder.glob("*.py")) if "TYPE_CHECKING" in p.read_text()]
    assert not stubbed
