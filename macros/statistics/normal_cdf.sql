{#- The standard normal distribution function Φ(x) = P(Z <= x), as a double; NULL for NULL. -#}
{% macro normal_cdf(x) -%}
    {{ return(adapter.dispatch('normal_cdf', 'journeys')(x)) }}
{%- endmacro %}

{#- Every engine: none of them has a normal distribution function (PostgreSQL 16+ has erfc, DuckDB and Spark
    have no erf at all), so Cody's rational approximations, which are portable SQL. -#}
{% macro default__normal_cdf(x) -%}
    {%- set body -%}
        case
            when ncdf_x < 0 then ncdf_lower
            when ncdf_x >= 0 then 1 - ncdf_lower
        end
    {%- endset -%}
    {{ journeys.statistics_let([
        ['ncdf_x', 'cast(' ~ x ~ ' as ' ~ dbt.type_float() ~ ')'],
        ['ncdf_lower', journeys.statistics_normal_lower_tail('abs(ncdf_x)')],
    ], body) }}
{%- endmacro %}
