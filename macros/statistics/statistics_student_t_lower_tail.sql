{#- P(T <= -t) for Student's t with df degrees of freedom, t >= 0 (names or cheap expressions: each is read several
    times). Callers keep t in [1e-50, 1e100] and df in [1e-10, 1e30], where no step can overflow or underflow
    (PostgreSQL raises an error for either).

    df <= 500: the regularized incomplete beta, P = I_x(df/2, 1/2) / 2 with x = df / (df + t²), by its continued
    fraction (Numerical Recipes' betacf) evaluated bottom-up from a fixed depth of 64 levels, nested expressions
    bound every few levels; where x is past the fraction's turning point (a + 1) / (a + b + 2), through the complement
    1 - I_y(1/2, df/2), y = t² / (df + t²). The prefactor x^a·y^b / (a·B(a, b)) is taken in logarithms.
    Against scipy, over t in [1e-3, 1000] and df in [0.1, 500]: 1.3e-13 absolute, 3.1e-12 relative error.

    df > 500: G. W. Hill's normal approximation for large df (ACM Algorithm 395, 1970), Φ(-z) with
    z = sqrt(y)·(1 + (y + 3 + ...) / b), y = (df - 1/2)·ln(1 + t²/df), b = 48·(df - 1/2)². Against scipy:
    1.1e-14 absolute error; relative error 3.1e-12 where P >= 1e-20, 4.9e-8 where P >= 1e-100, 4.5e-5 below.

    The fraction needs O(sqrt(df)) levels, so it cannot serve df in the millions; the approximation loses
    precision as df falls (1e-11 absolute at df = 20). At 500 both are well inside their accuracy. -#}
{% macro statistics_student_t_lower_tail(t, df) -%}
    {%- set depth = 64 -%}
    {%- set levels_per_binding = journeys.statistics_fraction_levels_per_binding() | int -%}
    {#- 1 / (1 + d1 / (1 + d2 / (1 + ... d64))) for I_w(p, q), the innermost level first; every few levels the
        value so far is bound to a name (tt_v61, tt_v57, ..., tt_v1), which the next levels divide by -#}
    {%- set fraction = namespace(sql='1', bindings=[]) -%}
    {%- for k in range(depth, 0, -1) -%}
        {%- set m = k // 2 -%}
        {%- if k == 1 -%}
            {%- set step = '-(tt_p + tt_q) * tt_w / (tt_p + 1)' -%}
        {%- elif k % 2 == 1 -%}
            {%- set step = '-(tt_p + ' ~ m ~ ') * (tt_p + tt_q + ' ~ m ~ ') * tt_w / ((tt_p + ' ~ (2 * m) ~ ') * (tt_p + '
                ~ (2 * m + 1) ~ '))' -%}
        {%- else -%}
            {%- set step = m ~ ' * (tt_q - ' ~ m ~ ') * tt_w / ((tt_p + ' ~ (2 * m - 1) ~ ') * (tt_p + ' ~ (2 * m) ~ '))' -%}
        {%- endif -%}
        {%- set fraction.sql = '1 + ' ~ step ~ ' / ' ~ (fraction.sql if ' ' not in fraction.sql else '(' ~ fraction.sql ~ ')') -%}
        {%- if (k - 1) % levels_per_binding == 0 -%}
            {%- do fraction.bindings.append(['tt_v' ~ k, fraction.sql]) -%}
            {%- set fraction.sql = 'tt_v' ~ k -%}
        {%- endif -%}
    {%- endfor -%}
    {#- ln of the prefactor x^a·y^(1/2) / (p·B(a, 1/2)), p = a or 1/2 -#}
    {%- set log_front -%}
        0.5 * {{ df }} * (ln({{ df }}) - ln({{ df }} + tt_tsq)) + ln({{ t }}) - 0.5 * ln({{ df }} + tt_tsq)
        - case when tt_direct then ln(0.5 * {{ df }}) else {{ -0.6931471805599453 }} end - 0.5723649429247001
        + {{ journeys.statistics_ln_gamma_half_ratio('0.5 * ' ~ df) }}
    {%- endset -%}
    {%- set continued_fraction = journeys.statistics_let([
        ['tt_direct', df ~ ' / (' ~ df ~ ' + tt_tsq) < (0.5 * ' ~ df ~ ' + 1) / (0.5 * ' ~ df ~ ' + 2.5)'],
        [
            ['tt_p', 'case when tt_direct then 0.5 * ' ~ df ~ ' else 0.5 end'],
            ['tt_q', 'case when tt_direct then 0.5 else 0.5 * ' ~ df ~ ' end'],
            ['tt_w', 'case when tt_direct then ' ~ df ~ ' else tt_tsq end / (' ~ df ~ ' + tt_tsq)'],
            ['tt_base', 'case when tt_direct then 0 else 0.5 end'],
            ['tt_sign', 'case when tt_direct then 0.5 else -0.5 end'],
            ['tt_log_front', log_front],
        ],
    ] + fraction.bindings, 'tt_base + tt_sign * case when tt_log_front < -700 then 0 else exp(tt_log_front) / '
        ~ fraction.sql ~ ' end') -%}
    {#- Hill: z = sqrt(y)·(1 + ((-0.4y³ - 3.3y² - 24y - 85.5) / (0.8y² + 100 + b) + y + 3) / b); in the fraction, y
        is at least 1e-30, so that its cube stays a double (y's terms are negligible there) -#}
    {%- set hill = journeys.statistics_let([
        [
            ['tth_y', 'greatest(' ~ df ~ ' - 0.5, 0.5) * ' ~ journeys.statistics_log1p('(tt_tsq / ' ~ df ~ ')')],
            ['tth_b', '48 * greatest(' ~ df ~ ' - 0.5, 0.5) * greatest(' ~ df ~ ' - 0.5, 0.5)'],
        ],
        ['tth_y_kept', 'greatest(tth_y, 1e-30)'],
        ['tth_z', 'sqrt(tth_y) * (1 + ((' ~ journeys.statistics_polynomial([-85.5, -24, -3.3, -0.4], 'tth_y_kept')
            ~ ') / (0.8 * tth_y_kept * tth_y_kept + 100 + tth_b) + tth_y + 3) / tth_b)'],
    ], journeys.statistics_normal_lower_tail('tth_z')) -%}
    {{ journeys.statistics_let([['tt_tsq', t ~ ' * ' ~ t]], 'case when ' ~ df ~ ' > 500 then ' ~ hill ~ ' else '
        ~ continued_fraction ~ ' end') }}
{%- endmacro %}

{#- How many levels of the continued fraction one binding holds: the fraction nests one parenthesis per level. -#}
{% macro statistics_fraction_levels_per_binding() -%}
    {{ return(adapter.dispatch('statistics_fraction_levels_per_binding', 'journeys')()) }}
{%- endmacro %}

{#- PostgreSQL and DuckDB: 4, since sqlfluff parses at most 600 levels deep and a level of the fraction costs
    about 21 (a binding, a lateral subquery, costs nothing more). -#}
{% macro default__statistics_fraction_levels_per_binding() -%}
    {{ return(4) }}
{%- endmacro %}

{#- Spark: all 64 in one expression, since each binding (a lambda) costs the analyzer iterations, of which it has
    100, and sqlfluff does not parse Spark's SQL here. -#}
{% macro spark__statistics_fraction_levels_per_binding() -%}
    {{ return(64) }}
{%- endmacro %}
