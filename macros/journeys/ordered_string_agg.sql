{#- The aggregate that joins `value` over a group's rows with `delimiter` (SQL text, e.g. "' > '"), in the order
    of the list of expressions `order_by` (ascending; make the last one unique so the order is total). NULL
    values are left out. dbt's listagg cannot order on Spark, hence this macro. -#}
{% macro ordered_string_agg(value, order_by, delimiter) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'journeys')(value, order_by, delimiter)) }}
{%- endmacro %}

{#- PostgreSQL and DuckDB: string_agg with an ORDER BY inside the call. -#}
{% macro default__ordered_string_agg(value, order_by, delimiter) -%}
    string_agg({{ value }}, {{ delimiter }} order by {{ order_by | join(', ') }})
{%- endmacro %}

{#- Spark: collect (order keys, value) structs, sort them (structs sort field by field), keep the values. -#}
{% macro spark__ordered_string_agg(value, order_by, delimiter) -%}
    concat_ws(
        {{ delimiter }},
        transform(
            array_sort(collect_list(named_struct(
                {%- for key in order_by %}
                'k{{ loop.index }}', {{ key }},
                {%- endfor %}
                'value', {{ value }}
            ))),
            entry -> entry.value
        )
    )
{%- endmacro %}
