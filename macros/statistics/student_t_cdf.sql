{#- Student's t distribution function P(T <= t) for real df > 0, as a double; NULL for NULL or df <= 0. -#}
{% macro student_t_cdf(t, df) -%}
    {{ return(adapter.dispatch('student_t_cdf', 'journeys')(t, df)) }}
{%- endmacro %}

{#- Every engine: none has a t distribution, so the incomplete beta function's continued fraction (df <= 500) and
    Hill's normal approximation (df > 500), in portable SQL (statistics_student_t_lower_tail). t beyond ±1e100 is
    read as ±1e100, df above 1e30 as 1e30 (the normal distribution, to double precision). -#}
{% macro default__student_t_cdf(t, df) -%}
    {{ journeys.statistics_let([
        [
            ['tcdf_t', 'cast(' ~ t ~ ' as ' ~ dbt.type_float() ~ ')'],
            ['tcdf_df', 'cast(' ~ df ~ ' as ' ~ dbt.type_float() ~ ')'],
        ],
        [
            ['tcdf_abs_t', 'least(greatest(abs(tcdf_t), 1e-50), 1e100)'],
            ['tcdf_df_kept', 'least(greatest(tcdf_df, 1e-10), 1e30)'],
        ],
        ['tcdf_lower', journeys.statistics_student_t_lower_tail('tcdf_abs_t', 'tcdf_df_kept')],
    ], 'case when tcdf_df > 0 and tcdf_t < 0 then tcdf_lower when tcdf_df > 0 and tcdf_t >= 0 then 1 - tcdf_lower end') }}
{%- endmacro %}
