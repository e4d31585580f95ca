"""The district evaluation's use-case mixins depend downward only, as the evaluation's do:
each subclasses DistrictLookups (domain/district/base.py, over the evaluation's lookups) and
calls on ``self`` only what it or the classes beneath it define."""

import ast
import inspect

import pytest

from domain.district.base import DistrictLookups
from domain.district.cases import DistrictCases

MIXINS = list(DistrictCases.__bases__)


def self_calls(cls: type) -> set[str]:
    tree = ast.parse(inspect.getsource(cls))
    return {node.func.attr for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"}


def test_there_are_the_four_mixins():
    assert [c.__name__ for c in MIXINS] == [
        "DistrictCycleCases", "DistrictSheetCases", "DistrictSubmissionCases",
        "DistrictDecisionCases"]


@pytest.mark.parametrize("mixin", MIXINS, ids=lambda c: c.__name__)
def test_a_mixin_calls_only_what_it_and_the_lookups_beneath_it_define(mixin):
    assert issubclass(mixin, DistrictLookups)
    assert not any(issubclass(mixin, other) for other in MIXINS if other is not mixin)
    missing = sorted(name for name in self_calls(mixin) if not hasattr(mixin, name))
    assert not missing, f"{mixin.__name__} calls {missing}, defined only elsewhere"


def test_no_district_method_shadows_another_areas():
    """Every use case has one name in the Application: none of the district mixins' methods
    is also defined by another area's mixin (a silent override)."""
    from domain.application import Thidua

    mine = {name for m in MIXINS for name in vars(m) if not name.startswith("__")
            and name != "name"}
    others = {name for cls in Thidua.__mro__ if not cls.__module__.startswith("domain.district")
              for name in vars(cls)}
    assert not mine & others, mine & others
