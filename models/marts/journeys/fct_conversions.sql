{{ config(materialized='view') }}

{#- One row per conversion occurrence: an event that a conversion of seed conversion_definitions recognises (an
    event two conversions recognise is one occurrence of each), with its session's person and its rank among that
    person's conversions of the same name. A view, like fct_events: the matches are stored once
    (int_events_matched, incremental by device) and take their session's person when read, so a late login that
    moves a session renumbers the person's conversions without rewriting any. -#}

with conversions as (
    select
        match_id,
        definition_name,
        event_id,
        session_id,
        event_at,
        conversion_value,
        is_signup,
        device_key
    from {{ ref('int_events_matched') }}
    where definition_kind = 'conversion'
),

session_persons as (
    select
        session_id,
        person_id
    from {{ ref('int_sessions_identified') }}
),

numbered as (
    select
        conversions.*,
        session_persons.person_id,
        row_number() over (
            partition by session_persons.person_id, conversions.definition_name
            order by conversions.event_at, conversions.event_id
        ) as conversion_index
    from conversions
    inner join session_persons
        on conversions.session_id = session_persons.session_id
),

final as (
    select
        match_id as conversion_id,
        definition_name as conversion_name,
        event_id,
        person_id,
        session_id,
        event_at as converted_at,
        conversion_value as value,  -- noqa: RF04
        cast(conversion_index as {{ dbt.type_bigint() }}) as conversion_index,
        conversion_index = 1 as is_first_of_person,
        is_signup,
        device_key
    from numbered
)

select * from final
