{#- One row per person ever seen (by a session or a user id), with what decides whether the person-grain models must
    re-compute them: how many sessions and user ids they have, when their sessions were last assigned
    (int_sessions_identified.identified_at) and when their user ids were first and last seen; and changed_at, the
    start of the run that last saw any of it change. A person merged away by a login or an alias call keeps a row
    with no sessions or user ids, so those models delete what they held for them. Incremental: a run compares the
    current states with the stored ones and writes the persons that differ. On Spark, where the person-grain models
    are rebuilt whole, it is a table rebuilt each run. -#}

{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='person_id',
    on_schema_change='fail',
) }}

with session_states as (
    select
        person_id,
        count(*) as session_count,
        max(identified_at) as last_identified_at
    from {{ ref('int_sessions_identified') }}
    group by person_id
),

user_id_states as (
    select
        person_id,
        count(*) as user_id_count,
        min(first_seen_at) as user_first_seen_at,
        max(last_seen_at) as user_last_seen_at
    from {{ ref('int_user_ids_stitched') }}
    group by person_id
),

current_states as (
    select
        coalesce(session_states.person_id, user_id_states.person_id) as person_id,
        coalesce(session_states.session_count, 0) as session_count,
        session_states.last_identified_at,
        coalesce(user_id_states.user_id_count, 0) as user_id_count,
        user_id_states.user_first_seen_at,
        user_id_states.user_last_seen_at
    from session_states
    full outer join user_id_states
        on session_states.person_id = user_id_states.person_id
),

{% if is_incremental() %}
{%- set never = journeys.no_load_time() %}
previous_states as (
    select
        person_id,
        session_count,
        last_identified_at,
        user_id_count,
        user_first_seen_at,
        user_last_seen_at
    from {{ this }}
),

{# a person no longer seen keeps a row with nothing (written once: an empty stored row does not differ again) #}
changed_states as (
    select
        coalesce(current_states.person_id, previous_states.person_id) as person_id,
        coalesce(current_states.session_count, 0) as session_count,
        current_states.last_identified_at,
        coalesce(current_states.user_id_count, 0) as user_id_count,
        current_states.user_first_seen_at,
        current_states.user_last_seen_at
    from current_states
    full outer join previous_states
        on current_states.person_id = previous_states.person_id
    where
        previous_states.person_id is null
        or coalesce(current_states.session_count, 0) != previous_states.session_count
        or coalesce(current_states.user_id_count, 0) != previous_states.user_id_count
        or coalesce(current_states.last_identified_at, {{ never }})
        != coalesce(previous_states.last_identified_at, {{ never }})
        or coalesce(current_states.user_first_seen_at, {{ never }})
        != coalesce(previous_states.user_first_seen_at, {{ never }})
        or coalesce(current_states.user_last_seen_at, {{ never }})
        != coalesce(previous_states.user_last_seen_at, {{ never }})
),
{% else %}
changed_states as (
    select * from current_states
),
{% endif %}

final as (
    select
        person_id,
        cast(session_count as {{ dbt.type_bigint() }}) as session_count,
        last_identified_at,
        cast(user_id_count as {{ dbt.type_bigint() }}) as user_id_count,
        user_first_seen_at,
        user_last_seen_at,
        {{ journeys.run_stamp() }} as changed_at
    from changed_states
)

select * from final
