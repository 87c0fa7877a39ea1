{#- ln(1 + u) for u >= 0, to full relative precision also for tiny u, where ln(1 + u) loses the digits of u to
    rounding (PostgreSQL has no log1p): below 0.01, the series to u⁸ written out (flat); u itself below 1e-30,
    where a power of u could underflow. `u` is a name or cheap expression: it is read many times. -#}
{% macro statistics_log1p(u) -%}
    {%- set terms = [u] -%}
    {%- for power in range(2, 9) -%}
        {%- do terms.append(('- ' if power % 2 == 0 else '+ ') ~ ([u] * power) | join(' * ') ~ ' * ' ~ (1 / power)) -%}
    {%- endfor -%}
    case when {{ u }} < 1e-30 then {{ u }} when {{ u }} < 0.01 then {{ terms | join(' ') }} else ln(1 + {{ u }}) end
{%- endmacro %}

{#- exp(u) - 1 for u >= 0, to full relative precision also for tiny u (no engine here has expm1 but Spark): below
    0.01, the series to u⁶ written out. -#}
{% macro statistics_expm1(u) -%}
    {%- set terms = [u] -%}
    {%- for power in range(2, 7) -%}
        {%- set factorial = namespace(value=1) -%}
        {%- for k in range(2, power + 1) -%}
            {%- set factorial.value = factorial.value * k -%}
        {%- endfor -%}
        {%- do terms.append('+ ' ~ ([u] * power) | join(' * ') ~ ' * ' ~ (1 / factorial.value)) -%}
    {%- endfor -%}
    case when {{ u }} < 1e-30 then {{ u }} when {{ u }} < 0.01 then {{ terms | join(' ') }} else exp({{ u }}) - 1 end
{%- endmacro %}
