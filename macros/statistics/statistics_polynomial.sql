{#- c[0] + c[1]·v + ... + c[n]·vⁿ by Horner's rule, for a list of numbers c and a name v (read n times). -#}
{% macro statistics_polynomial(coefficients, v) -%}
    {%- set text = namespace(sql=coefficients[-1] | string) -%}
    {%- for index in range(coefficients | length - 2, -1, -1) -%}
        {%- set text.sql = '(' ~ text.sql ~ ') * ' ~ v ~ ' + ' ~ coefficients[index] -%}
    {%- endfor -%}
    {{ text.sql }}
{%- endmacro %}
