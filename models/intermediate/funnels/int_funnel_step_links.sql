{#- One row per funnel match (int_funnel_events_matched) with the person its session belongs to now, its step
    number or exclusion range from seed funnel_definitions, its place in the order of events (event_order_key:
    time, then event id) and, for a step k event, the step k + 1 event an attempt takes next: the first one
    strictly after it; in a strict funnel only if no other event of the person (page pings aside) comes between.
    fct_funnel_progress follows these links from each step-1 event. Incremental by person (person_incremental_config):
    a login or alias can move sessions to another person, which changes whose events come between, so a run
    re-writes the persons whose sessions changed. -#}

{{ config(**journeys.person_incremental_config(settings_seeds=['funnel_definitions'])) }}

with funnel_definitions as (
    select
        funnel_name,
        step_number,
        step_name,
        exclude_from_step,
        exclude_to_step,
        funnel_mode
    from {{ ref('funnel_definitions') }}
),

matched_events as (
    select
        funnel_match_id,
        funnel_name,
        step_name,
        event_id,
        session_id,
        event_at
    from {{ ref('int_funnel_events_matched') }}
),

session_persons as (
    select
        session_id,
        person_id
    from {{ ref('int_sessions_identified') }}
    where {{ journeys.persons_to_recompute() }}
),

{# what a strict funnel's steps may not have between them: any event of the person, page pings aside #}
person_events as (
    select
        person_id,
        event_id,
        event_at
    from {{ ref('fct_events') }}
    where event_type <> 'page_ping' and {{ journeys.persons_to_recompute() }}
),

person_matches as (
    select
        matched_events.funnel_match_id,
        session_persons.person_id,
        matched_events.funnel_name,
        funnel_definitions.funnel_mode,
        funnel_definitions.step_number,
        funnel_definitions.exclude_from_step,
        funnel_definitions.exclude_to_step,
        matched_events.event_id,
        matched_events.event_at,
        {{ journeys.event_order_key('matched_events.event_at', 'matched_events.event_id') }} as event_order_key
    from matched_events
    inner join funnel_definitions
        on
            matched_events.funnel_name = funnel_definitions.funnel_name
            and matched_events.step_name = funnel_definitions.step_name
    inner join session_persons
        on matched_events.session_id = session_persons.session_id
),

{# each step-k event seeks step k + 1 and is a target of step k - 1's seekers, in one partition per link #}
step_links as (
    select
        funnel_match_id,
        person_id,
        funnel_name,
        funnel_mode,
        step_number as link_step_number,
        event_at,
        event_order_key,
        1 as is_seeker
    from person_matches
    where step_number is not null
    union all
    select
        funnel_match_id,
        person_id,
        funnel_name,
        funnel_mode,
        step_number - 1 as link_step_number,
        event_at,
        event_order_key,
        0 as is_seeker
    from person_matches
    where step_number > 1
),

{# read backwards, the least target key so far is the first step k + 1 event after each step-k event; an event
    that is both sorts its seeker row first, so it is never its own next step. The frame starts at the partition's
    start, so engines keep the running min rather than recompute it for every row. #}
next_steps as (
    select
        funnel_match_id,
        person_id,
        funnel_mode,
        event_at,
        event_order_key,
        is_seeker,
        min(case when is_seeker = 0 then event_order_key end) over (
            partition by person_id, funnel_name, link_step_number
            order by event_order_key desc, is_seeker desc
            rows between unbounded preceding and 1 preceding
        ) as next_step_order_key,
        min(case when is_seeker = 0 then event_at end) over (
            partition by person_id, funnel_name, link_step_number
            order by event_order_key desc, is_seeker desc
            rows between unbounded preceding and 1 preceding
        ) as next_step_at
    from step_links
),

seeker_next_steps as (
    select * from next_steps
    where is_seeker = 1
),

{# a strict funnel's next step is broken by any other event of the person between: a join on the person and the
    time span reads only the few events there #}
interrupted_steps as (
    select distinct seeker_next_steps.funnel_match_id
    from seeker_next_steps
    inner join person_events
        on
            seeker_next_steps.person_id = person_events.person_id
            and seeker_next_steps.event_at <= person_events.event_at
            and seeker_next_steps.next_step_at >= person_events.event_at
    where
        seeker_next_steps.funnel_mode = 'strict'
        and {{ journeys.event_order_key('person_events.event_at', 'person_events.event_id') }}
        > seeker_next_steps.event_order_key
        and {{ journeys.event_order_key('person_events.event_at', 'person_events.event_id') }}
        < seeker_next_steps.next_step_order_key
),

final as (
    select
        person_matches.funnel_match_id,
        person_matches.person_id,
        person_matches.funnel_name,
        person_matches.step_number,
        person_matches.exclude_from_step,
        person_matches.exclude_to_step,
        person_matches.event_id,
        person_matches.event_at,
        person_matches.event_order_key,
        case
            when interrupted_steps.funnel_match_id is null then seeker_next_steps.next_step_order_key
        end as next_step_order_key
    from person_matches
    left join seeker_next_steps
        on person_matches.funnel_match_id = seeker_next_steps.funnel_match_id
    left join interrupted_steps
        on person_matches.funnel_match_id = interrupted_steps.funnel_match_id
)

select * from final
