{{ config(severity='warn') }}

{#- Warns (the build goes on) for exposure rows that cannot be analysed, which int_experiment_exposure_events leaves
    out: a Segment Experiment Viewed or a Snowplow experiment context without an experiment id, or with neither a
    variation name nor id; and Snowplow JSON context columns holding several entries, of which only the first is
    read. -#}
{%- set checks = [] %}
{%- if journeys.source_table_enabled('segment', 'experiment_viewed') %}
    {%- do checks.append("select 'segment experiment_viewed without experiment or variation' as problem, event_id "
        ~ "from " ~ ref('stg_segment__experiment_viewed') ~ " where experiment_id is null "
        ~ "or coalesce(variant_name, variant_id) is null") %}
{%- endif %}
{%- if journeys.source_table_enabled('snowplow', 'events') %}
    {%- do checks.append("select 'snowplow experiment context column with several entries' as problem, event_id "
        ~ "from " ~ ref('stg_snowplow__events') ~ " where has_several_experiment_contexts") %}
    {%- do checks.append("select 'snowplow experiment context column without a variation' as problem, event_id "
        ~ "from " ~ ref('stg_snowplow__events') ~ " where (optimizely_experiment_id is not null "
        ~ "and coalesce(optimizely_variant_name, optimizely_variant_id) is null) or (feature_flag_key is not null "
        ~ "and coalesce(feature_flag_variant_name, feature_flag_variant_id) is null)") %}
{%- endif %}
{%- if journeys.source_table_enabled('snowplow', 'optimizely_summary_context') %}
    {%- do checks.append("select 'optimizely context row without experiment or variation' as problem, event_id "
        ~ "from " ~ ref('stg_snowplow__optimizely_summary_context') ~ " where experiment_id is null "
        ~ "or coalesce(variant_name, variant_id) is null") %}
{%- endif %}
{%- if journeys.source_table_enabled('snowplow', 'feature_flag_context') %}
    {%- do checks.append("select 'feature flag context row without flag or variation' as problem, event_id "
        ~ "from " ~ ref('stg_snowplow__feature_flag_context') ~ " where flag_key is null "
        ~ "or coalesce(variant_name, variant_id) is null") %}
{%- endif %}
{%- if checks %}
{{ checks | join('\nunion all\n') }}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as problem,
    cast(null as {{ dbt.type_string() }}) as event_id
where 1 = 0
{%- endif %}
