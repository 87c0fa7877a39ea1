{#- The chi-square survival function P(X > x) for integer df from 1 to 100 (the sample-ratio test has df = number
    of variants - 1), as a double in [0, 1]; 1 for x <= 0; NULL for NULL, or df not a whole number in [1, 100]. -#}
{% macro chi_square_survival(x, df) -%}
    {{ return(adapter.dispatch('chi_square_survival', 'journeys')(x, df)) }}
{%- endmacro %}

{#- Every engine: none has a chi-square distribution, so the closed forms for whole df, in portable SQL. With
    df = 2m + r (r = 0 or 1),
        P(X > x) = r·2·Φ(-√x) + exp(-x/2)·(2x/π)^(r/2)·Σ_{i<m} x^i / ((2 + r)(4 + r)···(2i + r)),
    the sum unrolled for m up to 50 as one nested expression (1 + x/(2 + r)·(1 + x/(4 + r)·(...))), each level
    switched off past m, and the exponential taken with the logarithm of the sum. All terms are positive, so the
    tail keeps its relative precision. x above 1e5 gives 0 (the probability is below 1e-20000). -#}
{% macro default__chi_square_survival(x, df) -%}
    {%- set most_terms = 50 -%}
    {%- set sum = namespace(sql='0') -%}
    {%- for i in range(most_terms - 1, 0, -1) -%}
        {%- set sum.sql = 'case when cs_m > ' ~ i ~ ' then cs_x_kept / (' ~ (2 * i) ~ ' + cs_odd) * (1 + ' ~ sum.sql
            ~ ') else 0 end' -%}
    {%- endfor -%}
    {%- set survival = journeys.statistics_let([
        [
            ['cs_m', 'floor(cs_df / 2)'],
            ['cs_odd', 'cs_df - 2 * floor(cs_df / 2)'],
            ['cs_x_kept', 'greatest(cs_x, 1e-200)'],
        ],
        ['cs_log_term', '-0.5 * cs_x_kept + cs_odd * 0.5 * ln(cs_x_kept * 0.6366197723675814) + ln(1 + '
            ~ sum.sql ~ ')'],
    ], 'least(case when cs_odd = 1 then 2 * ' ~ journeys.statistics_normal_lower_tail('sqrt(cs_x_kept)')
        ~ ' else 0 end + case when cs_m = 0 or cs_log_term < -700 then 0 else exp(cs_log_term) end, 1)') -%}
    {%- set body -%}
        case
            when cs_df >= 1 and cs_df <= 100 and cs_df = floor(cs_df) and cs_x is not null then
                case
                    when cs_x <= 0 then 1
                    when cs_x > 1e5 then 0
                    else {{ survival }}
                end
        end
    {%- endset -%}
    {{ journeys.statistics_let([[
        ['cs_x', 'cast(' ~ x ~ ' as ' ~ dbt.type_float() ~ ')'],
        ['cs_df', 'cast(' ~ df ~ ' as ' ~ dbt.type_float() ~ ')'],
    ]], body) }}
{%- endmacro %}
