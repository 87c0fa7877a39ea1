{#- The steps of ordered paths that a path transform keeps: see _paths__macros.yml for the arguments and columns.
    Each transform is one window pass over the steps left after the removal (two for `collapse_repeats`, whose
    lag and step number share one ordering), then one numbering pass over the kept steps. -#}
{% macro path_transform(relation, partition_by, order_by, value, transform, n=none, removed_value=none) -%}
    {%- if transform not in journeys.path_transform_names() -%}
        {{ exceptions.raise_compiler_error(
            "journeys: path_transform: transform '" ~ transform ~ "' is not one of: "
            ~ (journeys.path_transform_names() | join(', '))) }}
    {%- endif -%}
    {%- if transform in ('first_n', 'last_n') and (n is not number or n < 1) -%}
        {{ exceptions.raise_compiler_error(
            "journeys: path_transform: " ~ transform ~ " needs n, a whole number of at least 1 (got '" ~ n ~ "')") }}
    {%- endif -%}
    {%- set order_by = [order_by] if order_by is string else order_by -%}
    {%- set partition = 'partition by ' ~ partition_by -%}
    {%- set in_order = partition ~ ' order by ' ~ (order_by | join(', ')) -%}
    {%- set in_reverse_order = partition ~ ' order by ' ~ (order_by | join(' desc, ')) ~ ' desc' -%}

    {%- if removed_value is none -%}
        {%- set kept_values = 'select * from ' ~ relation -%}
    {%- else -%}
        {%- set removed = "'" ~ (removed_value | string | replace("'", "''")) ~ "'" -%}
        {#- the removed value stays where it is the whole path -#}
        {%- set kept_values -%}
            select * from (
                select
                    *,
                    max(case when {{ value }} = {{ removed }} then 0 else 1 end) over ({{ partition }})
                        as path_has_other_value
                from {{ relation }}
            ) as path_steps_flagged
            where path_has_other_value = 0 or {{ value }} is null or {{ value }} != {{ removed }}
        {%- endset -%}
    {%- endif -%}

    {%- if transform == 'raw' -%}
        {%- set kept_steps = kept_values -%}
    {%- else -%}
        {%- set windows = {
            'collapse_repeats': [
                'lag(' ~ value ~ ') over (' ~ in_order ~ ') as path_previous_value',
                'row_number() over (' ~ in_order ~ ') as path_raw_step',
            ],
            'unique': [
                'row_number() over (partition by ' ~ partition_by ~ ', ' ~ value ~ ' order by '
                ~ (order_by | join(', ')) ~ ') as path_value_occurrence',
            ],
            'first_n': ['row_number() over (' ~ in_order ~ ') as path_raw_step'],
            'last_n': ['row_number() over (' ~ in_reverse_order ~ ') as path_raw_step_from_end'],
        } -%}
        {%- set keep = {
            'collapse_repeats': 'path_raw_step = 1 or not coalesce(' ~ value ~ ' = path_previous_value, '
                ~ value ~ ' is null and path_previous_value is null)',
            'unique': 'path_value_occurrence = 1',
            'first_n': 'path_raw_step <= ' ~ n,
            'last_n': 'path_raw_step_from_end <= ' ~ n,
        } -%}
        {%- set kept_steps -%}
            select * from (
                select
                    *,
                    {{ windows[transform] | join(',\n') }}
                from ({{ kept_values }}) as path_steps_kept
            ) as path_steps_marked
            where {{ keep[transform] }}
        {%- endset -%}
    {%- endif -%}

    select
        *,
        row_number() over ({{ in_order }}) as path_step,
        count(*) over ({{ partition }}) as path_length
    from ({{ kept_steps }}) as path_steps_transformed
{%- endmacro %}
