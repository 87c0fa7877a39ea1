{#- c[0] + c[1]·v + ... + c[n]·vⁿ written out term by term (c[k]·v·v···v), as SQL text: flat, where Horner's rule
    would nest n parentheses (sqlfluff parses at most 600 levels deep, each parenthesis costing about 18). For the
    rational approximations here, whose terms do not cancel, the precision is the same. `v` is a name. -#}
{% macro statistics_polynomial(coefficients, v) -%}
    {%- set terms = [] -%}
    {%- for coefficient in coefficients -%}
        {%- do terms.append(([coefficient | string] + [v] * loop.index0) | join(' * ')) -%}
    {%- endfor -%}
    {{ terms | join(' + ') }}
{%- endmacro %}
