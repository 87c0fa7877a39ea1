{#- The chi-square survival function P(X > x) for integer df from 1 to 100 (the sample-ratio test has df = number
    of variants - 1), as a double in [0, 1]; 1 for x <= 0; NULL for NULL, or df not a whole number in [1, 100]. -#}
{% macro chi_square_survival(x, df) -%}
    {{ return(adapter.dispatch('chi_square_survival', 'journeys')(x, df)) }}
{%- endmacro %}

{#- Every engine: none has a chi-square distribution, so the closed forms for whole df, in portable SQL. With
    df = 2m + r (r = 0 or 1),
        P(X > x) = r·2·Φ(-√x) + exp(-x/2)·(2x/π)^(r/2)·Σ_{i<m} x^i / ((2 + r)(4 + r)···(2i + r)),
    the sum's 50 terms (m up to 50) written out side by side, each as exp(i·ln x - ln((2 + r)···(2i + r))) with
    the products worked out here, and each switched off past m; the exponential is taken with the logarithm of
    the sum. All terms are positive, so the tail keeps its relative precision. x above 1e5 gives 0 (the
    probability is below 1e-20000). -#}
{% macro default__chi_square_survival(x, df) -%}
    {%- set most_terms = 50 -%}
    {%- set terms = ['1'] -%}
    {%- set products = namespace(even=1, odd=1) -%}
    {%- for i in range(1, most_terms) -%}
        {%- set products.even = products.even * (2 * i) -%}
        {%- set products.odd = products.odd * (2 * i + 1) -%}
        {%- do terms.append('case when cs_m > ' ~ i ~ ' then exp(greatest(' ~ i ~ ' * cs_ln_x - ln(case when cs_odd = 1 then '
            ~ (products.odd * 1.0) ~ ' else ' ~ (products.even * 1.0) ~ ' end), -700)) else 0 end') -%}
    {%- endfor -%}
    {%- set survival = journeys.statistics_let([
        [
            ['cs_m', 'floor(cs_df / 2)'],
            ['cs_odd', 'cs_df - 2 * floor(cs_df / 2)'],
            ['cs_x_kept', 'greatest(cs_x, 1e-200)'],
        ],
        ['cs_ln_x', 'ln(cs_x_kept)'],
        ['cs_log_term', '-0.5 * cs_x_kept + cs_odd * 0.5 * (cs_ln_x - 0.4515827052894548) + ln(' ~ terms | join(' + ')
            ~ ')'],
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
