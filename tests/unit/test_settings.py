"""Settings: every variable read in one place, each default written once, and the README's
configuration table saying the same."""

import re
from dataclasses import fields
from pathlib import Path

import pytest

from web.settings import VARIABLES, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_table() -> dict[str, str]:
    """variable -> default, as the README's configuration table gives them."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2) for m in
            re.finditer(r"^\| `([A-Z_]+)` \| ([^|]*) \|", section, flags=re.M)}


def test_the_readme_lists_every_variable_and_no_other():
    assert set(readme_table()) == {variable for variable, _ in VARIABLES.values()}


def test_the_readme_gives_the_defaults_the_code_has():
    table = readme_table()
    defaults = Settings()
    for name, (variable, _) in VARIABLES.items():
        default = getattr(defaults, name)
        if default is None or isinstance(default, Path) and name == "signing_key":
            continue  # described in words: unset, or derived from the data directory
        shown = table[variable].strip().strip("`")
        if isinstance(default, bool):
            assert shown == ("1" if default else "0"), variable
        elif isinstance(default, float):
            assert float(shown) == default, variable
        else:
            assert shown == str(default), variable


def test_an_empty_environment_gives_the_defaults():
    assert Settings.from_env({}) == Settings()


def test_each_variable_sets_its_field():
    env = {"DATABASE_URL": "postgresql://u@h:1/d", "THIDUA_DATA_DIR": "/srv/thidua",
           "PORT": "8080", "THIDUA_RUN_PROJECTIONS": "yes", "THIDUA_POOL_SIZE": "7",
           "THIDUA_AGGREGATE_CACHE_MAXSIZE": "0", "THIDUA_AUDIT_ORIGIN": "bhxh.example",
           "THIDUA_EXPORT_WRITE_TIMEOUT": "2.5"}
    s = Settings.from_env(env)
    assert (s.database_url, s.data_dir, s.port, s.run_projections, s.pool_size) == (
        "postgresql://u@h:1/d", Path("/srv/thidua"), 8080, True, 7)
    assert (s.aggregate_cache_size, s.audit_origin, s.export_write_timeout) == (
        0, "bhxh.example", 2.5)
    assert s.signing_key_path == Path("/srv/thidua/audit-signing-key.pem")
    assert Settings.from_env({"THIDUA_SIGNING_KEY": "/k.pem"}).signing_key_path == Path("/k.pem")


@pytest.mark.parametrize("variable, text", [
    ("THIDUA_POOL_SIZE", "five"), ("THIDUA_POOL_SIZE", "1"), ("PORT", "-1"),
    ("THIDUA_EXPORT_WRITE_TIMEOUT", "nan"), ("THIDUA_PROJECTION_BATCH", "0"),
])
def test_a_bad_value_stops_the_start_naming_the_variable(variable, text):
    with pytest.raises(SystemExit, match=variable):
        Settings.from_env({variable: text})


def test_every_field_but_the_derived_ones_has_a_variable():
    assert {f.name for f in fields(Settings)} - set(VARIABLES) == {"wait_timeout", "extra"}
