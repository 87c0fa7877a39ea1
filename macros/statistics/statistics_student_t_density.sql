{#- The density of Student's t at t >= 0 with df degrees of freedom, for the Newton steps of the quantile:
    Γ((df + 1)/2) / (Γ(df/2)·sqrt(df·π)) · (1 + t²/df)^(-(df + 1)/2), in logarithms. Same ranges as
    statistics_student_t_lower_tail (t in [1e-50, 1e100], df in [1e-10, 1e30]); at least exp(-700). -#}
{% macro statistics_student_t_density(t, df) -%}
    {%- set log_density -%}
        {{ journeys.statistics_ln_gamma_half_ratio('0.5 * ' ~ df) }} - 0.5 * ln({{ df }} * {{ 3.141592653589793 }})
        - (0.5 * {{ df }} + 0.5) * {{ journeys.statistics_log1p('td_u') }}
    {%- endset -%}
    {{ journeys.statistics_let([['td_u', t ~ ' * ' ~ t ~ ' / ' ~ df]], 'exp(greatest(' ~ log_density ~ ', -700))') }}
{%- endmacro %}
