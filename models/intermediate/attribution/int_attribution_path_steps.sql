{#- The steps of every path the data-driven attribution models count, per conversion name (see the attribution
    docs): each conversion's touches (int_attribution_touches), and the sessions of each person without a
    conversion of that name that started within the lookback before the end of the data, under the same touch
    options; then the path transform of the journeys__path_transform vars. One row per path and kept step. -#}

{%- set transform = journeys.path_transform_settings() %}

with definitions as (
    {{ journeys.attribution_conversion_lookbacks() }}
),

sessions as (
    select
        session_id,
        person_id,
        started_at,
        channel
    from {{ ref('fct_sessions') }}
    where {{ journeys.attribution_channel_is_kept('channel') }}
),

{# the end of the data: the last event of the stream, which ends the latest session #}
data_end as (
    select max(ended_at) as data_ended_at
    from {{ ref('fct_sessions') }}
),

converted_persons as (
    select distinct
        conversion_name,
        person_id
    from {{ ref('fct_conversions') }}
),

unconverted_sessions as (
    select
        definitions.conversion_name,
        sessions.person_id,
        sessions.session_id,
        sessions.started_at,
        sessions.channel
    from sessions
    cross join data_end
    cross join definitions
    left join converted_persons
        on
            definitions.conversion_name = converted_persons.conversion_name
            and sessions.person_id = converted_persons.person_id
    where
        converted_persons.person_id is null
        and {{ journeys.seconds_between('sessions.started_at', 'data_end.data_ended_at') }}
        <= definitions.lookback_days * 86400
),

unconverted_touches as (
    {{ journeys.attribution_touch_numbers('unconverted_sessions', 'conversion_name, person_id') }}
),

path_touches as (
    select
        conversion_name,
        conversion_id as path_id,
        true as is_conversion,
        touch_index,
        channel
    from {{ ref('int_attribution_touches') }}
    union all
    select
        conversion_name,
        {{ dbt.concat(["'unconverted|'", 'conversion_name', "'|'", 'person_id']) }} as path_id,
        false as is_conversion,
        touch_index,
        channel
    from unconverted_touches
),

transformed as (
    {{ journeys.path_transform(
        'path_touches', 'conversion_name, path_id', ['touch_index'], 'channel',
        transform.transform, transform.n, transform.removed_channel
    ) }}
),

final as (
    select
        {{ dbt.concat(['path_id', "'|'", 'cast(path_step as ' ~ dbt.type_string() ~ ')']) }} as path_step_id,
        conversion_name,
        path_id,
        is_conversion,
        cast(path_step as {{ dbt.type_bigint() }}) as path_step,
        cast(path_length as {{ dbt.type_bigint() }}) as path_length,
        channel
    from transformed
)

select * from final
