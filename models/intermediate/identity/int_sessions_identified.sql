{#- One row per device session with the person it belongs to (DESIGN: device sessions -> persons).
    A session with a user id belongs to the person of its first user id. An anonymous session takes, by
    journeys__identity_policy, the person of the device's last identified session before it, else of its
    first one after (time_aware), or of the device's last identified session (latest); not on a shared
    device (more than journeys__max_persons_per_device persons). Otherwise it is anonymous, with a person
    id derived from the device. Incremental by device (see device_incremental): a run re-assigns the
    sessions of the devices with newly loaded events, and of those whose first user id now belongs to
    another person (an alias call). -#}

{{ config(**journeys.device_incremental_config()) }}

{%- set policy = journeys.var_choice('journeys__identity_policy', ['time_aware', 'latest']) -%}
{%- set max_persons = journeys.var_whole_number('journeys__max_persons_per_device') -%}

{#- devices whose sessions' first user id now belongs to another person (an alias call) -#}
{%- set devices_with_new_user_person = journeys.devices_with_changed_person(
    this, 'first_user_id', 'user_person_id', ref('int_user_ids_stitched'), 'user_id', 'person_id') -%}

with sessions as (
    select
        session_id,
        device_key,
        started_at,
        first_user_id,
        last_loaded_at
    from {{ ref('int_sessions_aggregated') }}
    where {{ journeys.devices_to_recompute(
        extra_device_keys_sql=devices_with_new_user_person, loaded_at_column='last_loaded_at') }}
),

user_persons as (
    select
        user_id,
        person_id
    from {{ ref('int_user_ids_stitched') }}
),

sessions_with_user_person as (
    select
        sessions.*,
        user_persons.person_id as user_person_id,
        {# identified sessions of the device so far: an anonymous session follows the one numbered so #}
        sum(case when user_persons.person_id is not null then 1 else 0 end) over (
            partition by sessions.device_key
            order by sessions.started_at, sessions.session_id
            rows between unbounded preceding and current row
        ) as identified_sessions_so_far
    from sessions
    left join user_persons
        on sessions.first_user_id = user_persons.user_id
),

identified_sessions as (
    select
        device_key,
        identified_sessions_so_far as identified_number,
        user_person_id
    from sessions_with_user_person
    where user_person_id is not null
),

devices as (
    select
        device_key,
        count(distinct user_person_id) as person_count,
        max(identified_number) as identified_session_count
    from identified_sessions
    group by device_key
),

anonymous_targets as (
    select
        sessions_with_user_person.*,
        coalesce(devices.person_count, 0) as device_person_count,
        coalesce(devices.person_count, 0) > {{ max_persons }} as is_shared_device,
        {%- if policy == 'time_aware' %}
        case
            when sessions_with_user_person.identified_sessions_so_far = 0 then 1
            else sessions_with_user_person.identified_sessions_so_far
        end as target_identified_number
        {%- else %}
        devices.identified_session_count as target_identified_number
        {%- endif %}
    from sessions_with_user_person
    left join devices
        on sessions_with_user_person.device_key = devices.device_key
),

final as (
    select
        anonymous_targets.session_id,
        anonymous_targets.device_key,
        coalesce(
            anonymous_targets.user_person_id,
            case when not anonymous_targets.is_shared_device then identified_sessions.user_person_id end,
            {{ dbt.hash(dbt.concat(["'device:'", "anonymous_targets.device_key"])) }}
        ) as person_id,
        case
            when anonymous_targets.user_person_id is not null then 'user_id'
            when not anonymous_targets.is_shared_device and identified_sessions.user_person_id is not null
                then 'device_stitched'
            else 'anonymous'
        end as identified_by,
        anonymous_targets.device_person_count,
        anonymous_targets.is_shared_device,
        anonymous_targets.first_user_id,
        anonymous_targets.user_person_id,
        anonymous_targets.last_loaded_at,
        {{ journeys.run_stamp() }} as identified_at,
        {{ journeys.device_bucket('anonymous_targets.device_key') }} as device_bucket
    from anonymous_targets
    left join identified_sessions
        on
            anonymous_targets.device_key = identified_sessions.device_key
            and anonymous_targets.target_identified_number = identified_sessions.identified_number
            and anonymous_targets.user_person_id is null
)

select * from final
