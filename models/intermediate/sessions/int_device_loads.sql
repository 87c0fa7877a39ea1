{{ config(**journeys.device_incremental_config()) }}

{#- One row per device key of the canonical stream with the latest load time of its events: the one place a run
    finds the devices that have new events. Each device-incremental model re-computes the devices whose latest
    load is after its own cutoff (see devices_to_recompute), reading this small table instead of the events. -#}

with stream_loads as (
    select
        {{ journeys.device_key_expression() }} as device_key,
        loaded_at
    from {{ ref('int_events_validated') }}
),

{% if is_incremental() %}
new_loads as (
    select
        device_key,
        loaded_at
    from stream_loads
    where loaded_at > {{ journeys.load_time_cutoff(this, 'last_loaded_at') }}
),

{% if target.type == 'spark' %}
{#- Spark overwrites whole device buckets: every device of a bucket with a new load is written again #}
device_loads as (
    select
        device_key,
        loaded_at
    from stream_loads
    where {{ journeys.device_bucket('device_key') }} in (
        select {{ journeys.device_bucket('device_key') }} from new_loads
    )
),
{% else %}
device_loads as (
    select * from new_loads
),
{% endif %}
{% else %}
device_loads as (
    select * from stream_loads
),
{% endif %}

final as (
    select
        device_key,
        max(loaded_at) as last_loaded_at,
        {{ journeys.device_bucket('device_key') }} as device_bucket
    from device_loads
    group by device_key
)

select * from final
