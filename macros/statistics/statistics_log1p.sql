{#- ln(1 + u) for u >= 0, to full relative precision also for tiny u, where ln(1 + u) loses the digits of u to
    rounding (PostgreSQL has no log1p). `u` is a name or cheap expression: it is read several times. -#}
{% macro statistics_log1p(u) -%}
    case
        when {{ u }} < 0.01
            then {{ u }} * (1 - {{ u }} * (0.5 - {{ u }} * ({{ 1 / 3 }} - {{ u }} * (0.25 - {{ u }} * (0.2
                - {{ u }} * ({{ 1 / 6 }} - {{ u }} * ({{ 1 / 7 }} - {{ u }} * 0.125)))))))
        else ln(1 + {{ u }})
    end
{%- endmacro %}

{#- exp(u) - 1 for u >= 0, to full relative precision also for tiny u (no engine here has expm1 but Spark). -#}
{% macro statistics_expm1(u) -%}
    case
        when {{ u }} < 0.01
            then {{ u }} * (1 + {{ u }} * (0.5 + {{ u }} * ({{ 1 / 6 }} + {{ u }} * ({{ 1 / 24 }} + {{ u }}
                * ({{ 1 / 120 }} + {{ u }} * {{ 1 / 720 }})))))
        else exp({{ u }}) - 1
    end
{%- endmacro %}
