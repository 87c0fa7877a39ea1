{#- ln(Γ(a + 1/2) / Γ(a)) for a > 0: the ratio shifted up by 10 (Γ(z + 1) = z·Γ(z), ten factors) and the
    asymptotic series at a + 10 (Bernoulli-polynomial terms to 1/z¹³), accurate to about 1e-15 for every a. The
    difference of two ln Γ would lose up to 1e-6 to cancellation at a = 5e8; none of the engines' lgamma (DuckDB
    has one, PostgreSQL from 18) is needed. `a` is a name or cheap expression, read several times. -#}
{% macro statistics_ln_gamma_half_ratio(a) -%}
    {%- set series -%}
        0.5 * ln({{ a }} + 10) + lghr_w * ({{ -1 / 8 }} + lghr_w * lghr_w * ({{ 1 / 192 }} + lghr_w * lghr_w
            * ({{ -1 / 640 }} + lghr_w * lghr_w * ({{ 17 / 14336 }} + lghr_w * lghr_w * ({{ -31 / 18432 }}
            + lghr_w * lghr_w * ({{ 691 / 180224 }} + lghr_w * lghr_w * {{ -5461 / 425984 }}))))))
        - ln(
            {%- for j in range(10) %}
            ({{ a }} + {{ j + 0.5 }}) / ({{ a }} + {{ j }}){{ ' *' if not loop.last }}
            {%- endfor %}
        )
    {%- endset -%}
    {{ journeys.statistics_let([['lghr_w', '1 / (' ~ a ~ ' + 10)']], series) }}
{%- endmacro %}
