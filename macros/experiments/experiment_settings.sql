{#- The experiment vars, checked: a bad value stops the run naming the var (see dbt_project.yml). -#}
{% macro experiment_settings() -%}
    {%- set confidence_level = journeys.var_positive_number('journeys__experiment_confidence_level') -%}
    {%- if confidence_level >= 1 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var journeys__experiment_confidence_level is '" ~ confidence_level
            ~ "'; it must be between 0 and 1 (0.95 for 95% intervals)") }}
    {%- endif -%}
    {%- set srm_threshold = journeys.var_positive_number('journeys__experiment_srm_threshold') -%}
    {%- set multiple_variant_share = journeys.var_positive_number('journeys__experiment_max_multiple_variant_share') -%}
    {%- if srm_threshold >= 1 or multiple_variant_share >= 1 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: vars journeys__experiment_srm_threshold and journeys__experiment_max_multiple_variant_share "
            ~ "must be between 0 and 1; they are '" ~ srm_threshold ~ "' and '" ~ multiple_variant_share ~ "'") }}
    {%- endif -%}
    {{ return({
        'window_days': journeys.var_whole_number('journeys__experiment_window_days'),
        'p_value_correction': journeys.var_choice('journeys__experiment_p_value_correction',
            ['none', 'holm', 'benjamini_hochberg']),
        'confidence_level': confidence_level,
        'breakdown_top_n': journeys.var_whole_number('journeys__experiment_breakdown_top_n'),
        'srm_threshold': srm_threshold,
        'max_multiple_variant_share': multiple_variant_share,
    }) }}
{%- endmacro %}
