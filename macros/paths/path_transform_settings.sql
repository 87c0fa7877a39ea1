{#- The path transform the vars choose, checked: a bad value stops the run naming the var. -#}
{% macro path_transform_settings() -%}
    {%- set transform = journeys.var_choice('journeys__path_transform', journeys.path_transform_names()) -%}
    {%- set n = journeys.var_whole_number('journeys__path_transform_n') -%}
    {%- set removed_channel = var('journeys__path_removed_channel') -%}
    {%- if removed_channel is not none and (removed_channel is not string or not removed_channel) -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var journeys__path_removed_channel is '" ~ removed_channel
            ~ "'; it must be a channel name (e.g. Direct) or null") }}
    {%- endif -%}
    {{ return({'transform': transform, 'n': n, 'removed_channel': removed_channel}) }}
{%- endmacro %}
