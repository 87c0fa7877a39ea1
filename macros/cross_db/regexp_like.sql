{#- True when `expression` matches the regular expression `pattern` (a literal without single quotes or
    backslashes, so that it reads the same in every engine's string literal). -#}
{% macro regexp_like(expression, pattern, case_insensitive=true) -%}
    {{ return(adapter.dispatch('regexp_like', 'journeys')(expression, pattern, case_insensitive)) }}
{%- endmacro %}

{#- No portable SQL matches a regular expression (SIMILAR TO is not one): another adapter needs its own version. -#}
{% macro default__regexp_like(expression, pattern, case_insensitive) -%}
    {{ exceptions.raise_compiler_error(
        "journeys: regexp_like has no version for adapter '" ~ adapter.type() ~ "'; add "
        ~ adapter.type() ~ "__regexp_like to macros/cross_db/regexp_like.sql") }}
{%- endmacro %}

{#- PostgreSQL: the ARE operator; `(?i)` would also work, `~*` is the idiom. -#}
{% macro postgres__regexp_like(expression, pattern, case_insensitive) -%}
    coalesce(({{ expression }}) {{ '~*' if case_insensitive else '~' }} '{{ pattern }}', false)
{%- endmacro %}

{#- DuckDB: RE2 through regexp_matches with the `i` option. -#}
{% macro duckdb__regexp_like(expression, pattern, case_insensitive) -%}
    coalesce(regexp_matches({{ expression }}, '{{ pattern }}'{{ ", 'i'" if case_insensitive }}), false)
{%- endmacro %}

{#- Spark: Java regular expressions through rlike, case folded with an embedded flag. -#}
{% macro spark__regexp_like(expression, pattern, case_insensitive) -%}
    coalesce(({{ expression }}) rlike '{{ "(?i)" if case_insensitive }}{{ pattern }}', false)
{%- endmacro %}
