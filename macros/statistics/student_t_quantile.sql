{#- Student's t quantile: the t with P(T <= t) = p, for 0 < p < 1 and real df > 0, as a double (t.ppf(0.975, df)
    is the half-width factor of a 95% interval); NULL for NULL, p outside (0, 1) or df <= 0. -#}
{% macro student_t_quantile(p, df) -%}
    {{ return(adapter.dispatch('student_t_quantile', 'journeys')(p, df)) }}
{%- endmacro %}

{#- Every engine: none has a t quantile. A start from G. W. Hill's ACM Algorithm 396 (1970) for df >= 1, from the
    density at 0 or the tail's power law below 1, then three second-order Newton steps on the lower tail that
    student_t_cdf computes, as R's qt refines Hill's start. p is read as min(p, 1 - p) (exact for p > 1/2), at
    least 1e-300; df as at most 1e20 (the normal quantile, to double precision); |t| stays within 1e100. -#}
{% macro default__student_t_quantile(p, df) -%}
    {#- below df = 1: near the centre, the density at 0 (P(T <= -t) ≈ 1/2 - t·density(0)), a lower bound of t;
        further out, the tail's power law ln t = -(ln p + ln B(df/2, 1/2) + (1 - df/2)·ln df) / df, an upper
        bound. The first is taken while it is below 1/2. -#}
    {%- set small_df_start = journeys.statistics_let([
        ['tqp_ratio', journeys.statistics_ln_gamma_half_ratio('0.5 * tq_df_kept')],
        ['tqp_central', '(0.5 - tq_tail_p) / exp(tqp_ratio - 0.5 * ln(tq_df_kept * 3.141592653589793))'],
        ['tqp_log_tail', '-(ln(tq_tail_p) + 0.5723649429247001 - tqp_ratio + (1 - 0.5 * tq_df_kept) * ln(tq_df_kept))'
            ~ ' / tq_df_kept'],
    ], 'case when tqp_central < 0.5 then tqp_central else exp(least(greatest(tqp_log_tail, -115), 230)) end') -%}
    {#- Hill (df >= 1): an expansion about the normal quantile x where the two-sided probability is above 0.5 for
        df < 2.1, or y is large; else one for small probabilities. Both are computed, one is taken, and so are both
        starts: every value is computed for every row (with df read as at least 1 here), which keeps the SQL
        shallow, so each must be safe for any input. -#}
    {%- set hill_start = journeys.statistics_let([
        ['tqh_n', 'greatest(tq_df_kept, 1)'],
        ['tqh_a', '1 / (tqh_n - 0.5)'],
        [
            ['tqh_b', '48 / (tqh_a * tqh_a)'],
            ['tqh_c', '((431.25 * tqh_a * tqh_a * tqh_a - 98) * tqh_a - 16) * tqh_a + 96.36'],
            ['tqh_x', journeys.normal_quantile('tq_tail_p')],
        ],
        ['tqh_d', '((94.5 / (tqh_b + tqh_c) - 3) / tqh_b + 1) * sqrt(tqh_a * 1.5707963267948966) * tqh_n'],
        [
            ['tqh_y', 'exp(least(greatest(2 / tqh_n * ln(greatest(tqh_d * 2 * tq_tail_p, 1e-300)), -700), 700))'],
            ['tqh_xx', 'tqh_x * tqh_x'],
            ['tqh_c2', '0.05 * tqh_d * tqh_x * tqh_x * tqh_x * tqh_x - 5 * tqh_x * tqh_x * tqh_x - 7 * tqh_x * tqh_x'
                ~ ' - 2 * tqh_x + tqh_b + tqh_c'
                ~ ' + case when tqh_n < 5 then 0.3 * (tqh_n - 4.5) * (tqh_x + 0.6) else 0 end'],
        ],
        [
            ['tqh_y1', '((' ~ journeys.statistics_polynomial([94.5, 36, 6.3, 0.4], 'tqh_xx')
                ~ ') / tqh_c2 - tqh_xx - 3) / tqh_b * tqh_x + tqh_x'],
            ['tqh_k', 'greatest(((tqh_n + 6) / (tqh_n * tqh_y) - 0.089 * tqh_d - 0.822) * (tqh_n + 2) * 3,'
                ~ ' 1e-300)'],
        ],
    ], 'case when (tqh_n < 2.1 and tq_tail_p > 0.25) or tqh_y > 0.05 + tqh_a then sqrt(tqh_n * '
        ~ journeys.statistics_expm1('(tqh_a * tqh_y1 * tqh_y1)') ~ ') else sqrt(greatest(tqh_n * (((1 / tqh_k'
        ~ ' + 0.5 / (tqh_n + 4)) * tqh_y - 1) * (tqh_n + 1) / (tqh_n + 2) + 1 / tqh_y), 0)) end') -%}
    {{ journeys.statistics_let([
        [
            ['tq_p', 'cast(' ~ p ~ ' as ' ~ dbt.type_float() ~ ')'],
            ['tq_df', 'cast(' ~ df ~ ' as ' ~ dbt.type_float() ~ ')'],
        ],
        [
            ['tq_df_kept', 'least(greatest(tq_df, 1e-10), 1e20)'],
            ['tq_tail_p', 'greatest(least(tq_p, 1 - tq_p), 1e-300)'],
        ],
        [
            ['tq_small_df_start', small_df_start],
            ['tq_hill_start', hill_start],
        ],
        ['tq_q0', 'least(greatest(case when tq_df_kept < 1 then tq_small_df_start else tq_hill_start end, 1e-50), 1e100)'],
        ['tq_q1', journeys.student_t_quantile_newton_step('tq_q0')],
        ['tq_q2', journeys.student_t_quantile_newton_step('tq_q1')],
        ['tq_q3', journeys.student_t_quantile_newton_step('tq_q2')],
    ], 'case when tq_df > 0 and tq_p > 0 and tq_p < 0.5 then -tq_q3 when tq_df > 0 and tq_p > 0.5 and tq_p < 1'
        ~ ' then tq_q3 when tq_df > 0 and tq_p = 0.5 then 0 end') }}
{%- endmacro %}

{#- One second-order Newton (Taylor) step of student_t_quantile from the name `q` (> 0) towards P(T <= -q) = p:
    q + Δ·(1 + Δ·q·(df + 1) / (2·(q² + df))), Δ = (P(T <= -q) - p) / density(q), Δ kept within [-0.9·q, 9·q] and
    the step within a factor of 10 of q (no step that far is taken from the starts above, but nothing can jump
    to a negative or infinite t). Reads the names tq_df_kept and tq_tail_p that student_t_quantile binds. -#}
{% macro student_t_quantile_newton_step(q) -%}
    {{ journeys.statistics_let([
        [
            ['tqs_tail', journeys.statistics_student_t_lower_tail(q, 'tq_df_kept')],
            ['tqs_density', journeys.statistics_student_t_density(q, 'tq_df_kept')],
        ],
        ['tqs_delta', 'least(greatest((tqs_tail - tq_tail_p) / tqs_density, -0.9 * ' ~ q ~ '), 9 * ' ~ q ~ ')'],
    ], 'least(greatest(' ~ q ~ ' + tqs_delta + tqs_delta * tqs_delta * ' ~ q ~ ' * (tq_df_kept + 1) / (2 * ' ~ q
        ~ ' * ' ~ q ~ ' + 2 * tq_df_kept), 0.1 * ' ~ q ~ ', 1e-50), 10 * ' ~ q ~ ', 1e100)') }}
{%- endmacro %}
