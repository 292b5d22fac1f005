"""One rule per setting for its ``rsc-mock serve`` flag and its ``RSC_MOCK_*`` variable
(:mod:`mock_server.config`): as a class over every setting, a value breaking the rule is refused before
anything starts — the variable in one line naming it (exit 2), the flag by argparse naming it (exit 2) — with
the same reason."""

from __future__ import annotations

import dataclasses
import math

import pytest

from mock_server.cli import build_parser, main, settings_of
from mock_server.config import ENV_PREFIX, Rule, Settings, settings_from_env
from mock_server.testing.server import free_port

FREE_PORT = str(free_port())
RULED = [field.name for field in dataclasses.fields(Settings) if field.metadata["rule"].kind not in ("text", "path")]


def bad_values(rule: Rule) -> list[str]:
    """Values breaking ``rule``: below and above its bounds, not a number, NaN and infinity, unknown words."""
    if rule.kind == "int":
        values = ["many", "1.5", "1_000", " 3", "\u0661\u0662", "0x10", "+3"]  # Python's int() takes the 3rd and 4th
        values += [] if rule.low is None else [str(int(rule.low) - 1)]
        return values + [str(2**63) if rule.high is None else str(int(rule.high) + 1)]  # unbounded: a long
    if rule.kind == "seconds":
        return ["soon", "nan", "inf", "-inf", str((rule.low or 0) - 1), str((rule.high or math.inf) * 2), "1_0", " 2",
                "\u0661", "+3"]  # float() takes the last three
    if rule.kind == "choice":
        return ["bogus", ""]
    return ["maybe", "2"]  # switch


CASES = [(name, value) for name in RULED for value in bad_values(Settings.__dataclass_fields__[name].metadata["rule"])]


def serve_flags() -> dict[str, str]:
    """``{setting name: its serve flag}``."""
    parser = build_parser()
    serve = next(action for action in parser._subparsers._group_actions if action.dest == "command").choices["serve"]
    return {action.dest: action.option_strings[0] for action in serve._actions if action.option_strings}


VERSIONS = ("oldest_version", "latest_version")  # the flag's rule is the version table's (checked apart below)


def test_every_serve_flag_of_a_ruled_setting_reads_it_with_the_settings_rule():
    parser = build_parser()
    serve = next(action for action in parser._subparsers._group_actions if action.dest == "command").choices["serve"]
    typed = {action.dest: getattr(action.type, "__name__", None) for action in serve._actions
             if action.dest in RULED and action.const is None}
    assert {"port", "max_sandboxes", "sandbox_ttl", "max_body_bytes", "max_snapshot_bytes", "body_timeout"} <= set(
        typed)
    assert {name: kind for name, kind in typed.items() if name not in VERSIONS} == {
        name: name for name in typed if name not in VERSIONS}


@pytest.mark.parametrize("name, value", CASES)
def test_a_variable_breaking_its_rule_is_refused_in_one_line_naming_it(name, value, monkeypatch, capsys):
    variable = ENV_PREFIX + name.upper()
    with pytest.raises(ValueError) as refused:
        settings_from_env({variable: value})
    reason = str(refused.value).partition(": ")[2]
    assert str(refused.value).startswith(f"{variable}={value!r}: ") and reason
    monkeypatch.setenv(variable, value)
    assert main(["serve", "--port", FREE_PORT] if name != "port" else ["serve"]) == 2
    err = capsys.readouterr().err
    assert err == f"rsc-mock: {variable}={value!r}: {reason}\n"
    flag = serve_flags().get(name)
    if flag is not None and name not in VERSIONS and flag not in ("--log-json", "--callback-validation"):
        monkeypatch.delenv(variable)
        with pytest.raises(SystemExit) as usage:
            main(["serve", f"{flag}={value}"])
        assert usage.value.code == 2
        assert f"argument {flag}: {reason}" in capsys.readouterr().err


FLAGGED = [name for name in RULED if name in serve_flags() and name not in VERSIONS
           and name not in ("log_json", "callback_validation")]  # switches: a flag without a value


@pytest.mark.parametrize("name", FLAGGED)
def test_a_flag_wins_over_its_variable_even_a_broken_one(name, monkeypatch):
    """``RSC_MOCK_X=<bad> rsc-mock serve --x <good>``: the flag's value, the variable not even read."""
    rule = Settings.__dataclass_fields__[name].metadata["rule"]
    good = str(Settings.__dataclass_fields__[name].default)
    assert rule.read(good) == Settings.__dataclass_fields__[name].default
    monkeypatch.setenv(ENV_PREFIX + name.upper(), bad_values(rule)[0])
    flag = serve_flags()[name]
    assert getattr(settings_of(build_parser().parse_args(["serve", flag, good])), name) == rule.read(good)


@pytest.mark.parametrize("variable, value, expected", [
    ("RSC_MOCK_PORT", "8081", ("port", 8081)), ("RSC_MOCK_LOG_JSON", "YES", ("log_json", True)),
    ("RSC_MOCK_LOG_JSON", "", ("log_json", False)), ("RSC_MOCK_LOG_LEVEL", "DEBUG", ("log_level", "debug")),
    ("RSC_MOCK_PRUNE_INTERVAL", "0.5", ("prune_interval", 0.5)), ("RSC_MOCK_MAX_SANDBOXES", "0", ("max_sandboxes", 0)),
    ("RSC_MOCK_MAX_SNAPSHOT_BYTES", "2048", ("max_snapshot_bytes", 2048)),
])
def test_values_within_the_rules_are_taken(variable, value, expected):
    name, wanted = expected
    assert getattr(settings_from_env({variable: value}), name) == wanted


def test_an_oldest_version_not_in_the_table_is_refused_from_the_environment_too(monkeypatch, capsys):
    monkeypatch.setenv("RSC_MOCK_OLDEST_VERSION", "199901")
    assert main(["serve", "--port", FREE_PORT]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rsc-mock: RSC_MOCK_OLDEST_VERSION='199901': 199901 is not a LinkedIn-Version of the"
                          " emulator's table") and err.count("\n") == 1
