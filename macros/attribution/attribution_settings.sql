{#- The attribution vars, checked: a bad value stops the run naming the var (see dbt_project.yml). -#}
{% macro attribution_settings() -%}
    {%- set max_touches = var('journeys__attribution_max_touches') -%}
    {%- set order = journeys.var_whole_number('journeys__attribution_markov_order') -%}
    {%- if order > 3 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var journeys__attribution_markov_order is '" ~ order ~ "'; it must be 1, 2 or 3") }}
    {%- endif -%}
    {{ return({
        'lookback_days': journeys.var_whole_number('journeys__attribution_lookback_days'),
        'excluded_channels': journeys.var_name_list('journeys__attribution_excluded_channels'),
        'reset_at_previous_conversion': journeys.var_boolean('journeys__attribution_reset_at_previous_conversion'),
        'max_touches': none if max_touches is none
            else journeys.var_whole_number('journeys__attribution_max_touches'),
        'markov_order': order,
        'markov_iterations': journeys.var_whole_number('journeys__attribution_markov_iterations', 2),
        'markov_tolerance': journeys.var_positive_number('journeys__attribution_markov_tolerance'),
    }) }}
{%- endmacro %}

{#- A SQL condition: `channel` (a column) is not one of var journeys__attribution_excluded_channels. -#}
{% macro attribution_channel_is_kept(channel) -%}
    {%- set excluded = journeys.attribution_settings().excluded_channels -%}
    {%- if excluded -%}
        coalesce({{ channel }}, '') not in (
            {%- for name in excluded %}'{{ name | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- A select of each conversion of seed conversion_definitions with its lookback in days: its own lookback_days,
    else var journeys__attribution_lookback_days. -#}
{% macro attribution_conversion_lookbacks() -%}
    select
        conversion_name,
        cast(
            coalesce(lookback_days, {{ journeys.attribution_settings().lookback_days }}) as {{ dbt.type_bigint() }}
        ) as lookback_days
    from {{ ref('conversion_definitions') }}
{%- endmacro %}
