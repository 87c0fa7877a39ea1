{#- What users do between registration and first order: for persons whose first order came after their signup,
    the events strictly between the two (page pings left out), by what they were (a page view's page path, else
    the event's type and name): how many of those persons did it, their share, and the events. -#}

with signups as (
    select
        person_id,
        signed_up_at
    from {{ ref('fct_signup_journeys') }}
    where is_signed_up
),

first_orders as (
    select
        person_id,
        converted_at as ordered_at
    from {{ ref('fct_conversions') }}
    where conversion_name = 'order' and is_first_of_person
),

events as (
    select
        person_id,
        event_at,
        event_type,
        event_name,
        page_path
    from {{ ref('fct_events') }}
    where event_type != 'page_ping'
),

ordering_persons as (
    select
        signups.person_id,
        signups.signed_up_at,
        first_orders.ordered_at
    from signups
    inner join first_orders
        on
            signups.person_id = first_orders.person_id
            and signups.signed_up_at < first_orders.ordered_at
),

events_between as (
    select
        events.person_id,
        case
            when events.event_type = 'page_view'
                then {{ dbt.concat(["'page view '", "coalesce(events.page_path, '(none)')"]) }}
            else {{ dbt.concat(['events.event_type', "' '", "coalesce(events.event_name, '(none)')"]) }}
        end as activity
    from events
    inner join ordering_persons
        on
            events.person_id = ordering_persons.person_id
            and events.event_at > ordering_persons.signed_up_at
            and events.event_at < ordering_persons.ordered_at
),

activities as (
    select
        activity,
        count(distinct person_id) as persons,
        count(*) as events
    from events_between
    group by activity
),

ordering_persons_count as (
    select count(*) as persons
    from ordering_persons
),

final as (
    select
        activities.activity,
        activities.persons,
        round(100.0 * activities.persons / ordering_persons_count.persons, 1) as persons_percent,
        activities.events,
        round(1.0 * activities.events / activities.persons, 1) as events_per_person
    from activities
    cross join ordering_persons_count
)

select * from final
order by persons desc, events desc, activity asc
