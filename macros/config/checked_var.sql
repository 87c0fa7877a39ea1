{#- A var that must be one of `choices`; anything else stops the run with a message naming the var. -#}
{% macro var_choice(name, choices) -%}
    {%- set value = var(name) -%}
    {%- if value not in choices -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " is '" ~ value ~ "'; it must be one of: " ~ (choices | join(', '))) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- A var that must be a whole number of at least `minimum`; anything else stops the run naming the var. -#}
{% macro var_whole_number(name, minimum=1) -%}
    {%- set value = var(name) -%}
    {%- if value is not number or value != (value | int) or value < minimum -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " is '" ~ value ~ "'; it must be a whole number of at least " ~ minimum) }}
    {%- endif -%}
    {{ return(value | int) }}
{%- endmacro %}

{#- A var that must be a mapping of names to names (null reads as an empty one); anything else stops the run
    naming the var. -#}
{% macro var_name_mapping(name) -%}
    {%- set value = var(name) -%}
    {%- if value is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- if value is not mapping or (value.keys() | reject('string') | list)
        or (value.values() | reject('string') | list) -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " is '" ~ value ~ "'; it must map table names to column names, "
            ~ "e.g. {video_shared: share_channel}") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- A var that must be a number greater than 0; anything else stops the run naming the var. -#}
{% macro var_positive_number(name) -%}
    {%- set value = var(name) -%}
    {%- if value is not number or value is sameas true or value is sameas false or value <= 0 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " is '" ~ value ~ "'; it must be a number greater than 0") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- A var that must be a list of names (null reads as an empty one); anything else stops the run naming the var. -#}
{% macro var_name_list(name) -%}
    {%- set value = var(name) -%}
    {%- if value is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if value is string or value is mapping or value is not iterable or (value | reject('string') | list) -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " is '" ~ value ~ "'; it must be a list of names, e.g. [Direct]") }}
    {%- endif -%}
    {{ return(value | list) }}
{%- endmacro %}

{#- A var that must be true or false; anything else stops the run naming the var. -#}
{% macro var_boolean(name) -%}
    {%- set value = var(name) -%}
    {%- if value is not sameas true and value is not sameas false -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " is '" ~ value ~ "'; it must be true or false") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
