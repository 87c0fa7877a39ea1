{#-
    Splits the events of `relation` (a ref, source or CTE name) into sessions and returns a select of all
    its columns plus:
      is_session_start      the event opens a session
      session_number        the n-th session of its partition (1-based)
      session_id            md5 of the partition key and the session's first event id: the same events
                            give the same id on every engine and in every run
    Events are ordered by `timestamp` then `event_id` within `partition_by` (a column or expression). A
    session ends when the gap to the next event is greater than `timeout_minutes` (a gap of exactly the
    timeout continues it). Optional: `new_session_when`, a SQL condition over the columns (and
    `previous_<column>` of each column in `compare_previous`) that also opens a session, and
    `timeout_applies_when`, a condition outside which the timeout does not cut (e.g. within one tracker
    session).
    Users can call it on their own event models:
        with sessionized as ({{ journeys.sessionize(ref('my_events'), 'anonymous_id', 'occurred_at', 'id', 30) }})
-#}
{% macro sessionize(
    relation, partition_by, timestamp, event_id, timeout_minutes,
    new_session_when=none, compare_previous=[], timeout_applies_when=none
) -%}
    {%- set order_by = timestamp ~ ', ' ~ event_id -%}
    {%- set timed_out = timestamp ~ ' > ' ~ (dbt.dateadd('minute', timeout_minutes, 'previous_event_at') | trim) -%}
    {%- if timeout_applies_when -%}
        {%- set timed_out = '(coalesce(' ~ timeout_applies_when ~ ', true) and ' ~ timed_out ~ ')' -%}
    {%- endif -%}
    select
        *,
        {{ dbt.hash(dbt.concat(["cast(" ~ partition_by ~ " as " ~ dbt.type_string() ~ ")", "'|'", "session_first_event_id"])) }} as session_id
    from (
        select
            *,
            first_value({{ event_id }}) over (
                partition by {{ partition_by }}, session_number order by {{ order_by }}
                rows between unbounded preceding and unbounded following
            ) as session_first_event_id
        from (
            select
                *,
                sum(case when is_session_start then 1 else 0 end) over (
                    partition by {{ partition_by }} order by {{ order_by }} rows between unbounded preceding and current row
                ) as session_number
            from (
                select
                    *,
                    (
                        previous_event_at is null
                        or {{ timed_out }}
                        {%- if new_session_when %}
                        or coalesce({{ new_session_when }}, false)
                        {%- endif %}
                    ) as is_session_start
                from (
                    select
                        *,
                        {%- for column in compare_previous %}
                        lag({{ column }}) over (partition by {{ partition_by }} order by {{ order_by }}) as previous_{{ column }},
                        {%- endfor %}
                        lag({{ timestamp }}) over (partition by {{ partition_by }} order by {{ order_by }}) as previous_event_at
                    from {{ relation }}
                ) as events_with_previous
            ) as events_with_start
        ) as events_numbered
    ) as events_with_first
{%- endmacro %}
