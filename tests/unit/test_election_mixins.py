"""The election use-case mixins depend downward only, as the evaluation's do: each subclasses
ElectionLookups (domain/elections/base.py) and calls on ``self`` only what it or the classes
beneath it define, never a method of a sibling; and the rules they used to check are the
aggregates' (no ``raise`` of a rule left in a use case but the lookups')."""

import ast
import inspect

import pytest

from domain.elections.base import ElectionLookups
from domain.elections.cases import ElectionCases

MIXINS = list(ElectionCases.__bases__)


def self_calls(cls: type) -> set[str]:
    """The names called as ``self.name(...)`` in the class's own body."""
    tree = ast.parse(inspect.getsource(cls))
    return {node.func.attr for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"}


def raised_rules(cls: type) -> set[str]:
    """The ``rule=`` of every error the class's own body raises."""
    tree = ast.parse(inspect.getsource(cls))
    return {kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call) for kw in node.exc.keywords
            if kw.arg == "rule" and isinstance(kw.value, ast.Constant)}


def test_there_are_the_three_mixins():
    assert [c.__name__ for c in MIXINS] == ["ElectionRuleCases", "ElectionRoundCases",
                                             "OfficeCases"]


@pytest.mark.parametrize("mixin", MIXINS, ids=lambda c: c.__name__)
def test_a_mixin_calls_only_what_it_and_the_lookups_beneath_it_define(mixin):
    assert issubclass(mixin, ElectionLookups)
    assert not any(issubclass(mixin, other) for other in MIXINS if other is not mixin)
    missing = sorted(name for name in self_calls(mixin) if not hasattr(mixin, name))
    assert not missing, f"{mixin.__name__} calls {missing}, defined only elsewhere"


def test_the_use_cases_leave_the_rules_to_the_aggregates():
    """What a use case still refuses itself is about the request, not the record: a version
    the client expects, a group the meeting cannot elect for, an office not yet elected."""
    found = set().union(*(raised_rules(m) for m in MIXINS))
    assert found == {"stale_version", "next_term_group_declared", "seat_vacant"}
