{#- Events -> sessions in one ordering of the events: see _sessions__macros.yml for the arguments and columns.
    Windows of `max_session_hours` count from the start of the session the other rules made, so the cut needs
    no recursion: an event past the window opens a part of its own. -#}
{% macro sessionize(
    relation, partition_by, timestamp, event_id, timeout_minutes,
    new_session_when=none, compare_previous=[], timeout_applies_when=none, max_session_hours=none,
    session_starts_only=false
) -%}
    {%- set events_in_order = 'partition by ' ~ partition_by ~ ' order by ' ~ timestamp ~ ', ' ~ event_id -%}
    {%- set so_far = events_in_order ~ ' rows between unbounded preceding and current row' -%}
    {%- set timed_out = timestamp ~ ' > ' ~ (dbt.dateadd('minute', timeout_minutes, 'previous_event_at') | trim) -%}
    {%- if timeout_applies_when -%}
        {%- set timed_out = '(coalesce(' ~ timeout_applies_when ~ ', true) and ' ~ timed_out ~ ')' -%}
    {%- endif -%}

    {%- set events_with_rule_start -%}
        select
            *,
            (
                previous_event_at is null
                or {{ timed_out }}
                {%- if new_session_when %}
                or coalesce({{ new_session_when }}, false)
                {%- endif %}
            ) as is_rule_start
        from (
            select
                *,
                {%- for column in compare_previous %}
                lag({{ column }}) over ({{ events_in_order }}) as previous_{{ column }},
                {%- endfor %}
                lag({{ timestamp }}) over ({{ events_in_order }}) as previous_event_at
            from {{ relation }}
        ) as events_with_previous
    {%- endset -%}

    {%- if max_session_hours -%}
        {#- the window of max_session_hours (since the start of the rules' session) an event time falls in; an event
            exactly that long after the start is still in the first. The previous event's window needs no window
            function: within a rules' session it is the window of previous_event_at. -#}
        {%- set part_of = {} -%}
        {%- for column in [timestamp, 'previous_event_at'] -%}
            {%- set expression -%}
                case
                    when {{ column }} <= {{ dbt.dateadd('hour', max_session_hours, 'rule_session_started_at') | trim }}
                        then 0
                    else greatest(ceil(
                        {{ dbt.datediff('rule_session_started_at', column, 'second') }} / {{ max_session_hours * 3600 }}.0
                    ) - 1, 1)
                end
            {%- endset -%}
            {%- do part_of.update({column: expression}) -%}
        {%- endfor -%}
        {%- set events_with_start -%}
            select
                *,
                (is_rule_start or {{ part_of[timestamp] }} != {{ part_of['previous_event_at'] }}) as is_session_start
            from (
                select
                    *,
                    max(case when is_rule_start then {{ timestamp }} end) over ({{ so_far }}) as rule_session_started_at
                from ({{ events_with_rule_start }}) as events_with_rule_start
            ) as events_with_rule_session
        {%- endset -%}
    {%- else -%}
        {%- set events_with_start -%}
            select
                *,
                is_rule_start as is_session_start
            from ({{ events_with_rule_start }}) as events_with_rule_start
        {%- endset -%}
    {%- endif -%}

    {%- set session_id_of = "cast(" ~ partition_by ~ " as " ~ dbt.type_string() ~ ")" -%}

    {%- if session_starts_only %}
    {#- a session's first event names it itself: the running windows below would give each start its own time and key
        (DuckDB sorts the events again for them: 9.1 s of the 24.1 s of int_events_sessionized's select at 10M) #}
    select
        *,
        {{ timestamp }} as session_started_at,
        cast({{ event_id }} as {{ dbt.type_string() }}) as session_first_event_id,
        {{ dbt.hash(dbt.concat([session_id_of, "'|'", journeys.event_order_key(timestamp, event_id)])) }} as session_id
    from ({{ events_with_start }}) as events_with_start
    where is_session_start
    {%- else %}
    select
        *,
        {{ journeys.event_order_key_event_id('session_start_key') }} as session_first_event_id,
        {{ dbt.hash(dbt.concat([session_id_of, "'|'", "session_start_key"])) }} as session_id
    from (
        select
            *,
            sum(case when is_session_start then 1 else 0 end) over ({{ so_far }}) as session_number,
            max(case when is_session_start then {{ timestamp }} end) over ({{ so_far }}) as session_started_at,
            max(case when is_session_start then {{ journeys.event_order_key(timestamp, event_id) }} end) over (
                {{ so_far }}
            ) as session_start_key
        from ({{ events_with_start }}) as events_with_start
    ) as events_numbered
    {%- endif %}
{%- endmacro %}
