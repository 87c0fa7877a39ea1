{#- The most common paths before signup, of channels and of landing pages (the sessions of
    int_signup_journey_sessions in order, after the path transform the vars choose), with their persons, signups,
    signup rate and share of all persons with a session. A path is its last journeys__path_max_steps steps joined
    with ' > ', and the number of steps dropped before them (part of the path: two paths that differ only there
    are counted apart). The channel to remove (journeys__path_removed_channel) applies to channel paths only. -#}

{%- set settings = journeys.path_transform_settings() -%}
{%- set max_steps = journeys.var_whole_number('journeys__path_max_steps') -%}
{%- set top_paths = journeys.var_whole_number('journeys__top_paths') -%}
{%- set path_types = {
    'channel': settings.removed_channel,
    'landing_page': none,
} -%}

with journey_sessions as (
    select
        person_id,
        session_step,
        is_signed_up,
        channel,
        coalesce(landing_page_path, '(none)') as landing_page
    from {{ ref('int_signup_journey_sessions') }}
),

{%- for path_type, removed_value in path_types.items() %}

{{ path_type }}_steps as (
    {{ journeys.path_transform(
        'journey_sessions', 'person_id', ['session_step'], path_type,
        settings.transform, settings.n, removed_value
    ) }}
),

{{ path_type }}_paths as (
    select
        person_id,
        is_signed_up,
        {{ journeys.ordered_string_agg(
            "case when path_step > path_length - " ~ max_steps ~ " then " ~ path_type ~ " end",
            ['path_step'], "' > '") }} as path,  -- noqa: RF04
        greatest(max(path_length) - {{ max_steps }}, 0) as path_dropped_steps
    from {{ path_type }}_steps
    group by person_id, is_signed_up
),
{%- endfor %}

person_paths as (
    {%- for path_type in path_types %}
    select
        '{{ path_type }}' as path_type,
        person_id,
        is_signed_up,
        path,
        path_dropped_steps
    from {{ path_type }}_paths
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

path_counts as (
    select
        path_type,
        path,
        path_dropped_steps,
        count(*) as persons,
        sum(case when is_signed_up then 1 else 0 end) as signups
    from person_paths
    group by path_type, path, path_dropped_steps
),

ranked_paths as (
    select
        *,
        sum(persons) over (partition by path_type) as all_persons,
        row_number() over (
            partition by path_type
            order by persons desc, signups desc, path_dropped_steps asc, path asc
        ) as path_rank
    from path_counts
),

final as (
    select
        {{ dbt.concat(['path_type', "':'", 'cast(path_rank as ' ~ dbt.type_string() ~ ')']) }} as signup_path_id,
        path_type,
        cast(path_rank as {{ dbt.type_bigint() }}) as path_rank,
        path,
        cast(path_dropped_steps as {{ dbt.type_bigint() }}) as path_dropped_steps,
        cast(persons as {{ dbt.type_bigint() }}) as persons,
        cast(signups as {{ dbt.type_bigint() }}) as signups,
        cast(1.0 * signups / persons as {{ dbt.type_float() }}) as signup_rate,
        cast(1.0 * persons / all_persons as {{ dbt.type_float() }}) as share_of_persons
    from ranked_paths
    where path_rank <= {{ top_paths }}
)

select * from final
