{#- One row per person who signed up: the first conversion of theirs that is the signup (seed
    conversion_definitions, is_signup), its time and session. The signup journeys, milestones and retention
    cohorts start here. A table rebuilt each run (not a view over fct_conversions): its readers are planned with
    its real row count (see DECISIONLOG). -#}

with signups as (
    select
        person_id,
        converted_at,
        session_id,
        event_id
    from {{ ref('fct_conversions') }}
    where is_signup and is_first_of_person
),

final as (
    select
        person_id,
        converted_at as signed_up_at,
        session_id as signup_session_id,
        event_id as signup_event_id
    from signups
)

select * from final
