{#- One row per person ever seen (dim_persons), known or anonymous: whether and when they signed up (their first
    signup conversion), what came before it (sessions and page views that started at or before the signup, the
    signup session included), the first page ever visited, the first blog page, four marketing touches, and the
    ordered channels and pages before signup as strings, bounded by journeys__path_max_steps (the last steps kept,
    the number dropped beside). For a person who never signed up the "before signup" columns cover everything
    they did. Incremental by person (person_incremental_config): a run re-writes the persons whose sessions or
    user ids changed. -#}

{{ config(**journeys.person_incremental_config(
    settings_vars=['journeys__path_max_steps', 'journeys__blog_path_prefix'])) }}

{%- set max_steps = journeys.var_whole_number('journeys__path_max_steps') -%}
{%- set blog_prefix = var('journeys__blog_path_prefix') | replace("'", "''") -%}
{#- each touch: the condition on int_signup_journey_sessions that picks its session -#}
{%- set touches = {
    'first_touch': 'session_step = 1',
    'last_touch': 'session_step = session_steps',
    'first_paid_touch': 'paid_step = 1',
    'last_paid_touch': 'paid_step_from_last = 1',
} -%}
{%- set touch_columns = {
    'at': 'started_at', 'channel': 'channel', 'source': 'utm_source', 'medium': 'utm_medium',
    'campaign': 'utm_campaign', 'referrer_host': 'referrer_host',
} -%}

with persons as (
    select
        person_id,
        first_seen_at
    from {{ ref('dim_persons') }}
    where {{ journeys.persons_to_recompute() }}
),

signups as (
    select * from {{ ref('int_person_signups') }}
    where {{ journeys.persons_to_recompute() }}
),

journey_sessions as (
    select
        *,
        case when is_paid then row_number() over (
            partition by person_id, is_paid order by started_at, session_id
        ) end as paid_step,
        case when is_paid then row_number() over (
            partition by person_id, is_paid order by started_at desc, session_id desc
        ) end as paid_step_from_last
    from {{ ref('int_signup_journey_sessions') }}
    where {{ journeys.persons_to_recompute() }}
),

session_summary as (
    select
        person_id,
        count(*) as sessions_before_signup,
        max(case when session_step = 1 then session_id end) as first_session_id,
        {%- for touch, condition in touches.items() %}
        {%- for suffix, column in touch_columns.items() %}
        max(case when {{ condition }} then {{ column }} end) as {{ touch }}_{{ suffix }},
        {%- endfor %}
        {%- endfor %}
        {{ journeys.ordered_string_agg(
            "case when session_step > session_steps - " ~ max_steps ~ " then channel end",
            ['session_step'], "' > '") }} as channel_path
    from journey_sessions
    group by person_id
),

page_views as (
    select
        page_views.person_id,
        page_views.page_view_id,
        page_views.viewed_at,
        page_views.page_path,
        page_views.page_url,
        signups.signed_up_at is null or page_views.viewed_at <= signups.signed_up_at as is_before_signup,
        (
            page_views.page_path = '{{ blog_prefix }}'
            or page_views.page_path like '{{ blog_prefix.rstrip("/") }}/%'
        ) as is_blog_page
    from {{ ref('fct_page_views') }} as page_views
    left join signups
        on page_views.person_id = signups.person_id
    where {{ journeys.persons_to_recompute('page_views.person_id') }}
),

{# one numbering of each person's page views in time order serves every column: the page views before signup
   are the first ones (so their count says which are the last journeys__path_max_steps of them), and the first
   blog page is the one where the running count of blog pages reaches 1 #}
page_views_numbered as (
    select
        *,
        row_number() over (partition by person_id order by viewed_at, page_view_id) as page_view_number,
        sum(case when is_before_signup then 1 else 0 end) over (
            partition by person_id order by viewed_at, page_view_id
            rows between unbounded preceding and unbounded following
        ) as page_views_before_signup,
        sum(case when is_blog_page then 1 else 0 end) over (
            partition by person_id order by viewed_at, page_view_id
            rows between unbounded preceding and current row
        ) as blog_page_views_so_far
    from page_views
),

page_view_summary as (
    select
        person_id,
        max(page_views_before_signup) as page_views_before_signup,
        max(case when page_view_number = 1 then page_path end) as first_page_path,
        max(case when page_view_number = 1 then page_url end) as first_page_url,
        max(case when is_blog_page and blog_page_views_so_far = 1 then page_url end) as first_blog_page_url,
        {{ journeys.ordered_string_agg(
            "case when is_before_signup and page_view_number > page_views_before_signup - " ~ max_steps
            ~ " then page_path end",
            ['page_view_number'], "' > '") }} as page_path_before_signup
    from page_views_numbered
    group by person_id
),

final as (
    select
        persons.person_id,
        persons.first_seen_at,
        signups.person_id is not null as is_signed_up,
        signups.signed_up_at,
        signups.signup_session_id,
        cast(coalesce(session_summary.sessions_before_signup, 0) as {{ dbt.type_bigint() }})
            as sessions_before_signup,
        cast(coalesce(page_view_summary.page_views_before_signup, 0) as {{ dbt.type_bigint() }})
            as page_views_before_signup,
        cast(
            {{ journeys.seconds_between('persons.first_seen_at', 'signups.signed_up_at') }} / 86400.0
            as {{ dbt.type_float() }}
        ) as days_to_signup,
        case
            when signups.person_id is not null then signups.signup_session_id = session_summary.first_session_id
        end as signed_up_in_first_session,
        page_view_summary.first_page_path,
        page_view_summary.first_page_url,
        page_view_summary.first_blog_page_url,
        {%- for touch in touches %}
        {%- for suffix in touch_columns %}
        session_summary.{{ touch }}_{{ suffix }},
        {%- endfor %}
        {%- endfor %}
        session_summary.channel_path,
        cast(
            greatest(coalesce(session_summary.sessions_before_signup, 0) - {{ max_steps }}, 0)
            as {{ dbt.type_bigint() }}
        ) as channel_path_dropped_steps,
        page_view_summary.page_path_before_signup,
        cast(
            greatest(coalesce(page_view_summary.page_views_before_signup, 0) - {{ max_steps }}, 0)
            as {{ dbt.type_bigint() }}
        ) as page_path_dropped_steps
    from persons
    left join signups
        on persons.person_id = signups.person_id
    left join session_summary
        on persons.person_id = session_summary.person_id
    left join page_view_summary
        on persons.person_id = page_view_summary.person_id
)

select * from final
