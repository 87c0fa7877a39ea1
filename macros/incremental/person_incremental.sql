{#-
    Person-grain models are incremental by person on PostgreSQL and DuckDB: a run re-computes every row of each
    person whose sessions or user ids changed since the model's last build (int_person_changes), after deleting
    what the table held for them, so persons merged away by a login or an alias call leave no rows behind. The
    persons are local to each row (a person's journey, funnel attempts, experiment metrics and sessions' order
    depend on that person's data alone), so the result equals a full refresh.

    How far a model has processed is kept in one small table, journeys_person_cutoffs (created by on-run-start):
    a row per successful build with the latest change it covered and a fingerprint of the seeds and vars the
    model's rows depend on. A failed build records nothing, so the next run re-computes its persons again; a
    changed seed or var re-computes every person. Spark (no DELETE without Delta) rebuilds these models whole.
-#}

{#- The table of processed cutoffs (in the target schema). -#}
{% macro person_cutoffs_table() -%}
    {{ return(api.Relation.create(database=target.database, schema=target.schema,
        identifier='journeys_person_cutoffs')) }}
{%- endmacro %}

{#- on-run-start: create the cutoffs table (and the target schema) if missing; nothing on Spark, which does not use
    it. -#}
{% macro create_person_cutoffs_table() -%}
    {%- if execute and target.type != 'spark' -%}
        {%- do adapter.create_schema(journeys.person_cutoffs_table().without_identifier()) -%}
        create table if not exists {{ journeys.person_cutoffs_table() }} (
            model_name {{ dbt.type_string() }},
            processed_through {{ dbt.type_timestamp() }},
            settings_fingerprint {{ dbt.type_string() }},
            recorded_at {{ dbt.type_timestamp() }}
        )
    {%- endif -%}
{%- endmacro %}

{#- The start of this dbt invocation as a timestamp literal: the stamp of the rows a run (re-)computes. -#}
{% macro run_stamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The config() arguments of a person-incremental model; `settings_seeds` and `settings_vars` name the seeds and
    vars its rows depend on beyond the person's own data (a change to any re-computes every person). -#}
{% macro person_incremental_config(settings_seeds=[], settings_vars=[]) -%}
    {{ return(adapter.dispatch('person_incremental_config', 'journeys')(settings_seeds, settings_vars)) }}
{%- endmacro %}

{% macro default__person_incremental_config(settings_seeds, settings_vars) -%}
    {{ return({
        'materialized': 'incremental', 'incremental_strategy': 'append', 'on_schema_change': 'fail',
        'meta': {'person_incremental': {'seeds': settings_seeds, 'vars': settings_vars}},
        'pre_hook': "{{ journeys.delete_recomputed_persons() }}",
        'post_hook': "{{ journeys.record_person_cutoff() }}",
    }) }}
{%- endmacro %}

{#- Spark: rebuilt whole on every run. -#}
{% macro spark__person_incremental_config(settings_seeds, settings_vars) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#- An md5 of the values of the seeds and vars this model's config names (see person_incremental_config). -#}
{% macro person_settings_fingerprint() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set settings = (config.get('meta') or {}).get('person_incremental', {}) -%}
    {%- set parts = [] -%}
    {%- for seed_name in settings.get('seeds', []) | sort -%}
        {%- do parts.append(journeys.seed_rows_text(seed_name)) -%}
    {%- endfor -%}
    {%- for var_name in settings.get('vars', []) | sort -%}
        {%- do parts.append(var_name ~ '=' ~ tojson(var(var_name))) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('/'))) }}
{%- endmacro %}

{#- The latest change this model has processed, as a timestamp literal; none when every person is re-computed: a full
    build, no recorded build, or a seed or var of its settings other than at its last recorded build. Read once when
    the model compiles and again by its pre-hook, before anything is written, so both see the same value. -#}
{% macro person_cutoff() -%}
    {%- if not execute or model.resource_type == 'unit_test' or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        select processed_through, settings_fingerprint
        from {{ journeys.person_cutoffs_table() }}
        where model_name = '{{ this.identifier }}'
        order by recorded_at desc
        limit 1
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- if rows | length == 0 or rows[0][0] is none or rows[0][1] != journeys.person_settings_fingerprint() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ rows[0][0] ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{#- A condition on a person id column that keeps the persons a run re-computes (true on a full build, or when every
    person is re-computed). -#}
{% macro persons_to_recompute(person_id_column='person_id') -%}
    {#- referenced on every run, so that dbt knows the dependency #}
    {%- set person_changes = ref('int_person_changes') -%}
    {%- set cutoff = journeys.person_cutoff() -%}
    {%- if cutoff is none -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set changed_persons = 'select person_id from ' ~ person_changes ~ ' where changed_at > ' ~ cutoff -%}
    {{ return(person_id_column ~ ' in (' ~ changed_persons ~ ')') }}
{%- endmacro %}

{#- pre-hook: delete the rows of the persons this run re-computes (every row when it re-computes all). -#}
{% macro delete_recomputed_persons() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ journeys.persons_to_recompute() }}
    {%- endif -%}
{%- endmacro %}

{#- post-hook: record the latest change this build covered, with the fingerprint of its settings. -#}
{% macro record_person_cutoff() -%}
    insert into {{ journeys.person_cutoffs_table() }} (model_name, processed_through, settings_fingerprint, recorded_at)
    select
        '{{ this.identifier }}',
        max(changed_at),
        '{{ journeys.person_settings_fingerprint() }}',
        {{ journeys.run_stamp() }}
    from {{ ref('int_person_changes') }}
{%- endmacro %}

{#- `expression` as the contract's `string` type (text on PostgreSQL). An incremental run's rows must have the types
    of the table's columns (on_schema_change: fail), and a string from a seed is a varchar on PostgreSQL. -#}
{% macro contract_string(expression) -%}
    cast({{ expression }} as {{ api.Column.translate_type('string') }})
{%- endmacro %}
