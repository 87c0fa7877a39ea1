{#-
    Row-grain models that screen raw rows are incremental by load time: a run re-screens the raw rows loaded
    after journeys__incremental_lookback_hours before the latest load the model holds (and every row without
    a load time), and replaces what the table held for them. Rows loaded before that keep their outcome: they
    were loaded first, so a later delivery of their event id is the duplicate, never they. PostgreSQL and
    DuckDB delete and re-insert the re-screened rows by `unique_key`; Spark (no MERGE without Delta)
    overwrites whole load days (partitions of `loaded_on`), so it re-screens from the start of the cutoff's day.
-#}

{#- The config() arguments of a load-time incremental model whose rows are keyed by `unique_key`. -#}
{% macro load_time_incremental_config(unique_key) -%}
    {{ return(adapter.dispatch('load_time_incremental_config', 'journeys')(unique_key)) }}
{%- endmacro %}

{% macro default__load_time_incremental_config(unique_key) -%}
    {{ return({
        'materialized': 'incremental', 'incremental_strategy': 'delete+insert', 'unique_key': unique_key,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__load_time_incremental_config(unique_key) -%}
    {{ return({
        'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
        'partition_by': ['loaded_on'], 'file_format': 'parquet', 'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{#- The load day of a row: the partition Spark overwrites; rows without a load time share day 1900-01-01. -#}
{% macro load_day(loaded_at) -%}
    cast(coalesce({{ loaded_at }}, {{ journeys.no_load_time() }}) as date)
{%- endmacro %}

{#- The timestamp that stands for "before every load". -#}
{% macro no_load_time() -%}
    cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The latest load time `relation` holds, less the lookback: rows loaded after it are re-computed. Read once when
    the model compiles and written into its SQL as a literal, so a model that filters several inputs by it does not
    scan its own table for each; in a unit test (where `this` is a fixture) and while dbt parses, a subquery. -#}
{% macro load_time_cutoff(relation, loaded_at_column='loaded_at') -%}
    {%- set lookback_hours = journeys.var_whole_number('journeys__incremental_lookback_hours', minimum=0) -%}
    {%- set latest_query = 'select coalesce(max(' ~ loaded_at_column ~ '), ' ~ journeys.no_load_time() ~ ') from '
        ~ relation -%}
    {%- set latest = '(' ~ latest_query ~ ')' -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set value = run_query(latest_query).columns[0].values()[0] -%}
        {%- set latest = "cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- endif -%}
    {{ return(dbt.dateadd('hour', -lookback_hours, latest) | trim) }}
{%- endmacro %}

{#- A condition on a row's `loaded_at` that keeps the rows a run re-screens (true on a full build). -#}
{% macro rows_to_rescreen(loaded_at='loaded_at') -%}
    {%- if not is_incremental() -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return(adapter.dispatch('rows_to_rescreen', 'journeys')(loaded_at)) }}
{%- endmacro %}

{#- `coalesce(... > cutoff, true)` rather than `is null or ... > cutoff`: PostgreSQL computes the operand once, not
    twice, and on a staging view it is the parsing of the raw load times (Snowplow's text timestamps: a quarter of
    an incremental screening at 1M events) -#}
{% macro default__rows_to_rescreen(loaded_at) -%}
    coalesce({{ loaded_at }} > {{ journeys.load_time_cutoff(this) }}, true)
{%- endmacro %}

{% macro spark__rows_to_rescreen(loaded_at) -%}
    coalesce({{ journeys.load_day(loaded_at) }} >= cast({{ journeys.load_time_cutoff(this) }} as date), true)
{%- endmacro %}
