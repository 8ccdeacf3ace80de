"""The safe YAML loader: plain data, line numbers, and hostile input refused cleanly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gatekeeper.errors import Problem
from gatekeeper.screening.yamlload import (
    MAX_BYTES,
    YamlList,
    YamlMap,
    load_yaml_file,
    load_yaml_text,
)


def messages(text: str) -> list[str]:
    """Return the problems of a YAML text as 'LINE: message' strings."""
    return [f"{p.line}: {p.message}" for p in load_yaml_text(text, "t.yaml").problems]


def test_scalars_resolve_as_yaml_1_2() -> None:
    text = (
        "end: 17:00\n"
        "start: 09:00\n"
        "answer: yes\n"
        "country: NO\n"
        "order: 010\n"
        "rate: 1.5\n"
        "big: 1e3\n"
        "nothing: ~\n"
        "flag: true\n"
        "quoted: '10'\n"
        "date: 2026-11-23\n"
    )
    data = load_yaml_text(text, "t.yaml").data
    assert data == {
        "end": "17:00",
        "start": "09:00",
        "answer": "yes",
        "country": "NO",
        "order": 10,
        "rate": 1.5,
        "big": 1000.0,
        "nothing": None,
        "flag": True,
        "quoted": "10",
        "date": "2026-11-23",
    }


def test_mappings_and_lists_remember_their_lines() -> None:
    text = "settings:\n  currency: EUR\nrules:\n  - id: a\n    order: 1\n  - id: b\n"
    data = load_yaml_text(text, "t.yaml").data
    assert isinstance(data, YamlMap)
    settings, rules = data["settings"], data["rules"]
    assert isinstance(settings, YamlMap) and isinstance(rules, YamlList)
    assert (settings.line, settings.owner_line) == (2, 1)
    assert settings.key_line("currency") == 2
    assert [rules.item_line(0), rules.item_line(1)] == [4, 6]
    first = rules[0]
    assert isinstance(first, YamlMap)
    assert first.value_line("order") == 5
    assert first.key_line("missing") == 4  # an absent key points at its mapping


def test_literal_block_maps_offsets_to_source_lines() -> None:
    text = "template: |\n  Hi {name},\n\n  Bye {who}\nother: x\n"
    data = load_yaml_text(text, "t.yaml").data
    assert isinstance(data, YamlMap)
    body = data["template"]
    assert isinstance(body, str)
    span = data.span("template")
    assert span.line_at(body, body.index("{name}")) == 2
    assert span.line_at(body, body.index("{who}")) == 4


def test_folded_block_points_at_its_first_line() -> None:
    data = load_yaml_text("text: >\n  one\n  two {x}\n", "t.yaml").data
    assert isinstance(data, YamlMap)
    body = data["text"]
    assert isinstance(body, str)
    assert data.span("text").line_at(body, body.index("{x}")) == 2


def test_duplicate_keys_are_all_reported_and_the_first_value_kept() -> None:
    loaded = load_yaml_text("a: 1\nb: 2\na: 3\nb: 4\n", "t.yaml")
    assert loaded.data == {"a": 1, "b": 2}
    assert [str(p) for p in loaded.problems] == [
        "t.yaml:3: duplicate key 'a' (first at line 1)",
        "t.yaml:4: duplicate key 'b' (first at line 2)",
    ]


def test_aliases_are_refused_but_plain_anchors_are_harmless() -> None:
    assert messages("a: &x 1\nb: *x\n") == [
        "2: aliases are not allowed (*x); write the value out in full"
    ]
    assert load_yaml_text("a: &x 1\n", "t.yaml").data == {"a": 1}


def test_merge_key_without_alias_is_just_a_key() -> None:
    assert load_yaml_text("<<: {a: 1}\n", "t.yaml").data == {"<<": {"a": 1}}


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 12):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{refs}]")
    started = time.perf_counter()
    problems = messages("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 0.5
    assert problems == ["2: aliases are not allowed (*l0); write the value out in full"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "x: !!python/object/apply:os.system ['true']\n",
            "1: tag '!!python/object/apply:os.system' is not allowed; use plain YAML",
        ),
        (
            "x: !!python/name:os.system ''\n",
            "1: tag '!!python/name:os.system' is not allowed; use plain YAML",
        ),
        ("x: !custom 1\n", "1: tag '!custom' is not allowed; use plain YAML"),
        ("x: !!binary aGk=\n", "1: tag '!!binary' is not allowed; use plain YAML"),
        ("x: !!set {a, b}\n", "1: tag '!!set' is not allowed; use plain YAML"),
        ("x: !!int twelve\n", "1: 'twelve' is not a valid !!int"),
    ],
)
def test_tags_other_than_plain_yaml_are_refused(text: str, expected: str) -> None:
    loaded = load_yaml_text(text, "t.yaml")
    assert [f"{p.line}: {p.message}" for p in loaded.problems] == [expected]
    assert loaded.data == {}  # the refused value is left out, not replaced by null


def test_explicit_plain_tags_convert() -> None:
    assert load_yaml_text("a: !!str 10\nb: !!int '7'\nc: !!float 2\n", "t.yaml").data == {
        "a": "10",
        "b": 7,
        "c": 2.0,
    }


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    assert messages("a: " + "[" * 5000 + "\n") == ["1: nesting deeper than 64 levels"]


def test_keys_must_be_plain_text() -> None:
    loaded = load_yaml_text("? [a, b]\n: 1\nok: 2\n", "t.yaml")
    assert loaded.data == {"ok": 2}
    assert [str(p) for p in loaded.problems] == [
        "t.yaml:1: a key must be plain text, not a list or mapping"
    ]


def test_control_characters_are_refused_with_their_line() -> None:
    assert messages("a: 1\nb: x\x00y\n") == ["2: character U+0000 is not allowed in YAML"]


def test_empty_and_comment_only_documents_are_none() -> None:
    assert load_yaml_text("", "t.yaml").data is None
    assert load_yaml_text("# nothing yet\n", "t.yaml").data is None


def test_file_that_is_not_utf8_names_the_byte_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nname: Caf\xe9\n")
    loaded = load_yaml_file(path, "latin1.yaml")
    assert loaded.problems == [Problem("latin1.yaml", 2, "not UTF-8 (byte 0xe9 at offset 14)")]


def test_utf8_bom_is_accepted_and_offsets_count_it(tmp_path: Path) -> None:
    good = tmp_path / "bom.yaml"
    good.write_bytes(b"\xef\xbb\xbfname: Caf\xc3\xa9\n")
    assert load_yaml_file(good).data == {"name": "Café"}
    bad = tmp_path / "bom-bad.yaml"
    bad.write_bytes(b"\xef\xbb\xbfa: \xff\n")
    assert [p.message for p in load_yaml_file(bad).problems] == [
        "not UTF-8 (byte 0xff at offset 6)"
    ]


def test_file_over_one_mebibyte_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: [" + b"1, " * (MAX_BYTES // 3) + b"1]\n")
    assert load_yaml_file(path, "big.yaml").problems == [
        Problem("big.yaml", 1, "file is larger than 1 MiB; refused")
    ]


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "edge.yaml"
    body = b"a: 1\n#"
    path.write_bytes(body + b"x" * (MAX_BYTES - len(body) - 1) + b"\n")
    assert path.stat().st_size == MAX_BYTES
    loaded = load_yaml_file(path)
    assert (loaded.data, loaded.problems) == ({"a": 1}, [])


def test_unreadable_paths_are_problems_not_exceptions(tmp_path: Path) -> None:
    assert [p.message for p in load_yaml_file(tmp_path, "dir").problems] == [
        "is a directory, not a YAML file"
    ]
    assert [p.message for p in load_yaml_file(tmp_path / "gone.yaml", "gone").problems] == [
        "cannot read file (No such file or directory)"
    ]


def test_text_over_one_mebibyte_is_refused_too() -> None:
    text = "a: '" + "é" * (MAX_BYTES // 2) + "'\n"  # fewer characters than bytes
    assert len(text) < MAX_BYTES
    assert messages(text) == ["1: file is larger than 1 MiB; refused"]
