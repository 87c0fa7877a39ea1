{#- How many visits before a purchase: for each person's first order (conversion `order`, seed
    conversion_definitions), the sessions of theirs that started at or before it (the order's session included),
    as a distribution: persons who ordered after that many visits, their share and the running share. -#}

with first_orders as (
    select
        person_id,
        converted_at as ordered_at
    from {{ ref('fct_conversions') }}
    where conversion_name = 'order' and is_first_of_person
),

sessions as (
    select
        person_id,
        started_at
    from {{ ref('fct_sessions') }}
),

visits_before_order as (
    select
        first_orders.person_id,
        count(*) as visits
    from first_orders
    inner join sessions
        on
            first_orders.person_id = sessions.person_id
            and first_orders.ordered_at >= sessions.started_at
    group by first_orders.person_id
),

distribution as (
    select
        visits,
        count(*) as persons
    from visits_before_order
    group by visits
),

final as (
    select
        visits,
        persons,
        round(100.0 * persons / sum(persons) over (), 1) as persons_percent,
        round(100.0 * sum(persons) over (order by visits) / sum(persons) over (), 1) as running_percent
    from distribution
)

select * from final
order by visits
