{#-
    Event-grain models are incremental by device: a run re-computes every event of each device that has
    an event loaded within journeys__incremental_lookback_hours of the latest load the model has seen (and
    of each device named in `extra_device_keys_sql`, a query returning device_key), replacing what the table
    held for those devices. Sessionization and identity are per device, so the result equals a full refresh.
    PostgreSQL and DuckDB delete and re-insert the devices' rows; Spark (no MERGE without Delta) overwrites
    the device buckets (journeys__spark_device_buckets partitions) that hold them.
-#}

{#- The config() arguments of a device-incremental model. -#}
{% macro device_incremental_config() -%}
    {{ return(adapter.dispatch('device_incremental_config', 'journeys')()) }}
{%- endmacro %}

{% macro default__device_incremental_config() -%}
    {{ return({
        'materialized': 'incremental', 'incremental_strategy': 'delete+insert', 'unique_key': 'device_key',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{#- Spark: insert_overwrite of whole partitions, one per device bucket. -#}
{% macro spark__device_incremental_config() -%}
    {{ return({
        'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
        'partition_by': ['device_bucket'], 'file_format': 'parquet', 'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{#- The device bucket column of a device-incremental model (Spark partitions by it). -#}
{% macro device_bucket(device_key) -%}
    {{ return(adapter.dispatch('device_bucket', 'journeys')(device_key)) }}
{%- endmacro %}

{% macro default__device_bucket(device_key) -%}
    cast(0 as integer)
{%- endmacro %}

{% macro spark__device_bucket(device_key) -%}
    cast(pmod(hash({{ device_key }}), {{ journeys.var_whole_number('journeys__spark_device_buckets') }}) as integer)
{%- endmacro %}

{#- A condition on `device_key_column` that keeps the devices to re-compute (true on a full build): those whose
    latest load (int_device_loads) is after the cutoff of this model's `loaded_at_column`, and those of
    `extra_device_keys_sql` (a query returning device_key). Spark keeps the device buckets that hold them. -#}
{% macro devices_to_recompute(device_key_column='device_key', extra_device_keys_sql=none, loaded_at_column='loaded_at') -%}
    {#- referenced on every run, so that dbt knows the dependency #}
    {%- set device_loads = ref('int_device_loads') -%}
    {%- if not is_incremental() -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set changed_devices -%}
        select device_key
        from {{ device_loads }}
        where last_loaded_at > {{ journeys.load_time_cutoff(this, loaded_at_column) }}
        {%- if extra_device_keys_sql %}
        union
        {{ extra_device_keys_sql }}
        {%- endif %}
    {%- endset -%}
    {%- if target.type == 'spark' -%}
        {%- set buckets = 'select distinct ' ~ journeys.device_bucket('device_key') ~ ' from (' ~ changed_devices ~ ') as changed' -%}
        {{ return(journeys.device_bucket(device_key_column) ~ ' in (' ~ buckets ~ ')') }}
    {%- endif -%}
    {{ return(device_key_column ~ ' in (' ~ changed_devices ~ ')') }}
{%- endmacro %}

{#- The key events are sessionized by: the device id, or the user id for events sent without one. -#}
{% macro device_key_expression(device_id='device_id', user_id='user_id') -%}
    coalesce({{ device_id }}, {{ dbt.concat(["'user:'", user_id]) }})
{%- endmacro %}

{#- The devices (device_key) of `previous_rows` whose `previous_person` is no longer the `current_person` of
    the `current_persons` row that has the same key. -#}
{% macro devices_with_changed_person(previous_rows, previous_key, previous_person, current_persons, current_key,
    current_person) -%}
    select distinct previous_rows.device_key
    from {{ previous_rows }} as previous_rows
    inner join {{ current_persons }} as current_persons
        on previous_rows.{{ previous_key }} = current_persons.{{ current_key }}
    where previous_rows.{{ previous_person }} != current_persons.{{ current_person }}
{%- endmacro %}
