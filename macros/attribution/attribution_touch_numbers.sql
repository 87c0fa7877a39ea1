{#- The eligible sessions of each partition (a conversion, or a person's path that did not convert) as touches:
    numbered `touch_index` 1..`touch_count` in order of start (then session id), only the last
    journeys__attribution_max_touches kept when it is set. One window pass (both windows share one ordering). -#}
{% macro attribution_touch_numbers(relation, partition_by) -%}
    {%- set max_touches = journeys.attribution_settings().max_touches -%}
    select
        *,
        cast(touch_count - touch_rank_from_last + 1 as {{ dbt.type_bigint() }}) as touch_index
    from (
        select
            *,
            row_number() over (
                partition by {{ partition_by }} order by started_at desc, session_id desc
            ) as touch_rank_from_last,
            cast(
                {%- if max_touches is none %}
                count(*) over (partition by {{ partition_by }})
                {%- else %}
                least(count(*) over (partition by {{ partition_by }}), {{ max_touches }})
                {%- endif %}
                as {{ dbt.type_bigint() }}
            ) as touch_count
        from {{ relation }}
    ) as attribution_sessions_ranked
    {%- if max_touches is not none %}
    where touch_rank_from_last <= {{ max_touches }}
    {%- endif %}
{%- endmacro %}
