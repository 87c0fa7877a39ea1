{#- The matcher columns that macro event_matches reads, in the order the definition seeds hold them. -#}
{% macro definition_matcher_columns() -%}
    {{ return(['event_type', 'event_names', 'event_category', 'event_action', 'property_column', 'property_value']) }}
{%- endmacro %}

{#- The matcher columns of a definition seed as a select list, empty cells read as NULL (seed_text). -#}
{% macro select_definition_matchers(indent=8) -%}
    {%- set columns = [] -%}
    {%- for column in journeys.definition_matcher_columns() -%}
        {%- do columns.append(journeys.seed_text(column) ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {{ return(columns | join(',\n' ~ ' ' * indent)) }}
{%- endmacro %}

{#- The event columns that macro event_matches reads. -#}
{% macro event_matcher_columns() -%}
    {{ return([
        'event_type', 'event_name', 'event_category', 'event_action', 'event_property', 'page_path', 'page_url',
        'page_title',
    ]) }}
{%- endmacro %}
