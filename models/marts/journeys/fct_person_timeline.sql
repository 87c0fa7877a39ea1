{{ config(materialized='view') }}

{#- The events of identified persons (dim_persons.is_identified) in order, so an analyst can read one user's
    story: each event's index, its time and index relative to the signup (negative before it, 0 for the signup
    event; NULL for a person who never signed up), the conversions it is and the milestone it reached first. A
    view: filter it on a person_id. -#}

with events as (
    select
        event_id,
        event_at,
        person_id,
        session_id,
        event_type,
        event_name,
        event_property,
        page_path,
        page_title
    from {{ ref('fct_events') }}
),

identified_persons as (
    select person_id
    from {{ ref('dim_persons') }}
    where is_identified
),

signups as (
    select
        person_id,
        signed_up_at,
        signup_event_id
    from {{ ref('int_person_signups') }}
),

conversions as (
    select
        event_id,
        {{ journeys.ordered_string_agg('conversion_name', ['conversion_name'], "', '") }} as conversion_names
    from {{ ref('fct_conversions') }}
    group by event_id
),

milestones as (
    select
        event_id,
        {{ journeys.ordered_string_agg('milestone_name', ['milestone_name'], "', '") }} as milestone_names
    from {{ ref('fct_milestones') }}
    group by event_id
),

numbered as (
    select
        events.*,
        signups.signed_up_at,
        signups.signup_event_id,
        row_number() over (partition by events.person_id order by events.event_at, events.event_id) as event_index
    from events
    inner join identified_persons
        on events.person_id = identified_persons.person_id
    left join signups
        on events.person_id = signups.person_id
),

final as (
    select
        numbered.person_id,
        cast(numbered.event_index as {{ dbt.type_bigint() }}) as event_index,
        numbered.event_id,
        numbered.event_at,
        numbered.session_id,
        numbered.event_type,
        numbered.event_name,
        numbered.event_property,
        numbered.page_path,
        numbered.page_title,
        cast(
            {{ journeys.seconds_between('numbered.signed_up_at', 'numbered.event_at') }} as {{ dbt.type_float() }}
        ) as seconds_since_signup,
        cast(
            numbered.event_index - max(
                case when numbered.event_id = numbered.signup_event_id then numbered.event_index end
            ) over (partition by numbered.person_id)
            as {{ dbt.type_bigint() }}
        ) as event_index_since_signup,
        conversions.conversion_names,
        milestones.milestone_names
    from numbered
    left join conversions
        on numbered.event_id = conversions.event_id
    left join milestones
        on numbered.event_id = milestones.event_id
)

select * from final
