"""Hand-worked cases of the parsing macros, through `dbt show` on every engine."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from tests.conftest import BuiltProject

IPAD = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
)
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def json_field(json_text: str, field: str = "id") -> str:
    """A json_string_field call on a SQL literal holding `json_text` (which has no single quotes)."""
    return f"json_string_field('\\'{json_text}\\'', '{field}')"


# (name, macro call, expected value)
CASES: list[tuple[str, str, Any]] = [
    (
        "ts_plain",
        "safe_parse_timestamp(\"'2021-03-03 21:27:32.696'\")",
        dt.datetime(2021, 3, 3, 21, 27, 32, 696000),
    ),
    ("ts_zulu", "safe_parse_timestamp(\"'2021-03-03T21:27:32Z'\")", dt.datetime(2021, 3, 3, 21, 27, 32)),
    ("ts_offset", "safe_parse_timestamp(\"'2021-03-03 21:27:32+02'\")", dt.datetime(2021, 3, 3, 19, 27, 32)),
    (
        "ts_offset_minutes",
        "safe_parse_timestamp(\"'2021-03-03 21:27:32-05:30'\")",
        dt.datetime(2021, 3, 4, 2, 57, 32),
    ),
    ("ts_garbage", "safe_parse_timestamp(\"'not-a-timestamp'\")", None),
    ("ts_out_of_range", "safe_parse_timestamp(\"'2026-13-45 99:00:00'\")", None),
    ("ts_impossible_day", "safe_parse_timestamp(\"'2026-02-30 10:00:00'\")", None),
    ("ts_empty", "safe_parse_timestamp(\"''\")", None),
    ("number_decimal", "safe_cast_number(\"'12.50'\")", 12.5),
    ("number_exponent", "safe_cast_number(\"'-3e2'\")", -300.0),
    ("number_garbage", "safe_cast_number(\"'12,5 EUR'\")", None),
    ("path_root", "url_path(\"'https://www.example.com'\")", "/"),
    ("path_nested", "url_path(\"'https://www.example.com/a/b?q=1#top'\")", "/a/b"),
    ("query_with_fragment", "url_query(\"'https://x.com/p?a=1&b=2#top'\")", "a=1&b=2"),
    ("query_none", "url_query(\"'https://x.com/p#top'\")", None),
    ("host_www", "url_host(\"'https://WWW.Google.com/search?q=1'\")", "google.com"),
    ("host_port", "url_host(\"'http://localhost:8080/x'\")", "localhost"),
    ("host_app", "url_host(\"'android-app://com.google.android.gm/'\")", "com.google.android.gm"),
    ("host_not_url", "url_host(\"'not a url'\")", None),
    (
        "param_second",
        "url_parameter(\"'https://x.com/?a=1&utm_source=news&utm_medium=email#top'\", 'utm_source')",
        "news",
    ),
    (
        "param_last",
        "url_parameter(\"'https://x.com/?a=1&utm_source=news&utm_medium=email#top'\", 'utm_medium')",
        "email",
    ),
    ("param_prefixed_name", "url_parameter(\"'https://x.com/?xutm_source=a'\", 'utm_source')", None),
    ("param_empty", "url_parameter(\"'https://x.com/?utm_source=&b=2'\", 'utm_source')", None),
    ("click_id_first", "click_id(\"'https://x.com/?fbclid=f1&gclid=g1'\")", "g1"),
    ("click_id_type_first", "click_id_type(\"'https://x.com/?fbclid=f1&gclid=g1'\")", "gclid"),
    ("click_id_microsoft", "click_id(\"'https://x.com/?msclkid=m1'\")", "m1"),
    ("click_id_none", "click_id(\"'https://x.com/?utm_source=a'\")", None),
    ("device_ipad", f"device_class(\"'{IPAD}'\")", "tablet"),
    ("device_android_tablet", f"device_class(\"'{ANDROID_TABLET}'\")", "tablet"),
    ("device_iphone", f"device_class(\"'{IPHONE}'\")", "mobile"),
    ("device_windows", f"device_class(\"'{WINDOWS}'\")", "desktop"),
    ("device_googlebot", f"device_class(\"'{GOOGLEBOT}'\")", "bot"),
    ("host_upper_case", "url_host(\"'HTTPS://WWW.Example.COM/x'\")", "example.com"),
    ("param_without_query", "url_parameter(\"'https://x.com/utm_source=a'\", 'utm_source')", None),
    ("json_compact", json_field('[{"id":"A1"}]'), "A1"),
    ("json_spaced_nested", json_field('[[{"id": "B2"}]]'), "B2"),
    ("json_first_of_two", json_field('[{"id":"C3"},{"id":"D4"}]'), "C3"),
    ("json_other_field", json_field('[{"pageid":"E5"}]'), None),
    ("json_malformed", json_field('[{"id":'), None),
    ("json_empty", json_field('[{"id":""}]'), None),
    # the text row_fingerprint hashes is the same on every engine: each value as text, `~` for NULL, joined by `|`
    (
        "fingerprint",
        "row_fingerprint([\"'tracks'\", 'null', \"cast('2021-03-03 21:27:32.696' as timestamp)\", \"'e1'\"])",
        hashlib.md5(b"tracks|~|2021-03-03 21:27:32.696|e1").hexdigest(),
    ),
]


@pytest.fixture(scope="module")
def macro_results(built: BuiltProject) -> dict[str, Any]:
    select_list = ",\n".join(f"{{{{ journeys.{call} }}}} as {name}" for name, call, _ in CASES)
    result = built.dbt.invoke(["show", "--inline", f"select\n{select_list}", "--limit", "1"])
    table = result.results[0].agate_table
    return dict(zip(table.column_names, table.rows[0], strict=True))


@pytest.mark.parametrize(("name", "call", "expected"), CASES, ids=[case[0] for case in CASES])
def test_parsing_macro_gives_the_hand_worked_value(macro_results: dict[str, Any], name: str, call: str, expected: Any):
    value = macro_results[name]
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if value is not None and isinstance(expected, float):
        value = float(value)
    assert value == expected, call
