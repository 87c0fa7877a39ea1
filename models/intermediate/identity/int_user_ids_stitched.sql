{#- One row per user id, with the person it belongs to and when its events were first and last seen. User
    ids joined by alias calls (previous id -> user id) are one person, transitively: connected components by
    label propagation (each pass, a user id takes the smallest label among itself and its alias neighbours),
    a bounded number of passes (journeys__identity_max_passes) instead of a recursive CTE. person_id is the
    md5 of the component's smallest user id, stable across runs and engines. -#}

{%- set max_passes = journeys.var_whole_number('journeys__identity_max_passes') -%}
{%- set has_aliases = journeys.source_table_enabled('segment', 'aliases') -%}

with event_user_ids as (
    select
        user_id,
        min(event_at) as first_seen_at,
        max(event_at) as last_seen_at
    from {{ ref('int_events_validated') }}
    where user_id is not null
    group by user_id
),

{% if has_aliases %}
alias_links as (
    select distinct
        previous_user_id,
        user_id
    from {{ ref('stg_segment__aliases') }}
    where previous_user_id is not null and user_id is not null and previous_user_id != user_id
),

{# links both ways, and each user id to itself, so one join per pass reaches every neighbour #}
neighbours as (
    select
        previous_user_id as user_id,
        user_id as neighbour_id
    from alias_links
    union all
    select
        user_id,
        previous_user_id as neighbour_id
    from alias_links
    union all
    select
        previous_user_id as user_id,
        previous_user_id as neighbour_id
    from alias_links
    union all
    select
        user_id,
        user_id as neighbour_id
    from alias_links
),

labels_pass_1 as (
    select
        user_id,
        min(neighbour_id) as smallest_user_id
    from neighbours
    group by user_id
),
{% for pass_number in range(2, max_passes + 1) %}
labels_pass_{{ pass_number }} as (
    select
        neighbours.user_id,
        min(previous_pass.smallest_user_id) as smallest_user_id
    from neighbours
    inner join labels_pass_{{ pass_number - 1 }} as previous_pass
        on neighbours.neighbour_id = previous_pass.user_id
    group by neighbours.user_id
),
{% endfor %}

all_user_ids as (
    select user_id from event_user_ids
    union
    select user_id from labels_pass_1
),

final as (
    select
        all_user_ids.user_id,
        coalesce(labels.smallest_user_id, all_user_ids.user_id) as root_user_id,
        {{ dbt.hash(dbt.concat(["'user:'", "coalesce(labels.smallest_user_id, all_user_ids.user_id)"])) }} as person_id,
        labels.user_id is not null as has_alias,
        event_user_ids.first_seen_at,
        event_user_ids.last_seen_at
    from all_user_ids
    left join labels_pass_{{ max_passes }} as labels
        on all_user_ids.user_id = labels.user_id
    left join event_user_ids
        on all_user_ids.user_id = event_user_ids.user_id
)
{% else %}
final as (
    select
        user_id,
        user_id as root_user_id,
        {{ dbt.hash(dbt.concat(["'user:'", "user_id"])) }} as person_id,
        false as has_alias,
        first_seen_at,
        last_seen_at
    from event_user_ids
)
{% endif %}

select * from final
