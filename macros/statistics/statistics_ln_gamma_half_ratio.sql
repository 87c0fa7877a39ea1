{#- ln(Γ(a + 1/2) / Γ(a)) for a > 0: the ratio shifted up by 10 (Γ(z + 1) = z·Γ(z), ten factors) and the
    asymptotic series at z = a + 10 (Bernoulli-polynomial terms to 1/z¹³), about 1e-16 relative error for every a.
    The difference of two ln Γ would lose up to 1e-6 to cancellation at a = 5e8; none of the engines' lgamma
    (DuckDB has one, PostgreSQL from 18) is needed. 1/z is taken as at least 1e-20 (its terms are then below
    the double's precision), so that no power of it underflows. `a` is a name or cheap expression, read 21 times. -#}
{% macro statistics_ln_gamma_half_ratio(a) -%}
    {%- set coefficients = [(1, -1 / 8), (3, 1 / 192), (5, -1 / 640), (7, 17 / 14336), (9, -31 / 18432),
        (11, 691 / 180224), (13, -5461 / 425984)] -%}
    {%- set terms = [] -%}
    {%- for power, coefficient in coefficients -%}
        {%- do terms.append(coefficient ~ ' * ' ~ (['lghr_w'] * power) | join(' * ')) -%}
    {%- endfor -%}
    {%- set factors = [] -%}
    {%- for j in range(10) -%}
        {%- do factors.append('(' ~ a ~ ' + ' ~ (j + 0.5) ~ ') / (' ~ a ~ ' + ' ~ j ~ ')') -%}
    {%- endfor -%}
    {{ journeys.statistics_let([['lghr_w', '1 / least(' ~ a ~ ' + 10, 1e20)']],
        '0.5 * ln(' ~ a ~ ' + 10) + ' ~ terms | join(' + ') ~ ' - ln(' ~ factors | join(' * ') ~ ')') }}
{%- endmacro %}
