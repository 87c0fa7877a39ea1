{#- Φ(-y) = P(Z <= -y) for y >= 0 (an expression, read once), by W. J. Cody's rational approximations (Math. Comp.
    1969; the coefficients of his ANORM, which R's pnorm uses), in three ranges of y: about 1e-16 relative error
    over the whole range, the tail included. exp(-y²/2) is taken as exp(-u²/2)·exp(-(y - u)(y + u)/2), u = y
    rounded down to 1/16, as Cody does, so that it keeps its relative precision. 0 from y = 37.5, where Φ(-y) is
    below the smallest normal double. -#}
{% macro statistics_normal_lower_tail(value) -%}
    {%- set a = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
        0.065682337918207449113] -%}
    {%- set b = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] -%}
    {%- set c = [0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
        2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
        1.0765576773720192317e-8] -%}
    {%- set d = [22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
        18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727] -%}
    {%- set p = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
        2.9112874951168792e-5, 0.02307344176494017303] -%}
    {%- set q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
        7.29751555083966205e-5] -%}
    {%- set y = 'nlt_y' -%}
    {%- set gauss -%}
        exp(-0.5 * (floor(16 * {{ y }}) / 16) * (floor(16 * {{ y }}) / 16))
        * exp(-0.5 * ({{ y }} - floor(16 * {{ y }}) / 16) * ({{ y }} + floor(16 * {{ y }}) / 16))
    {%- endset -%}
    {%- set body -%}
        case
            when {{ y }} <= 0.66291
                then 0.5 - {{ y }} * (((({{ a[4] }} * nlt_s + {{ a[0] }}) * nlt_s + {{ a[1] }}) * nlt_s + {{ a[2] }})
                    * nlt_s + {{ a[3] }})
                    / ((((nlt_s + {{ b[0] }}) * nlt_s + {{ b[1] }}) * nlt_s + {{ b[2] }}) * nlt_s + {{ b[3] }})
            when {{ y }} <= 5.656854249492380
                then {{ gauss }}
                    * ((((((((({{ c[8] }} * {{ y }} + {{ c[0] }}) * {{ y }} + {{ c[1] }}) * {{ y }} + {{ c[2] }}) * {{ y }}
                    + {{ c[3] }}) * {{ y }} + {{ c[4] }}) * {{ y }} + {{ c[5] }}) * {{ y }} + {{ c[6] }}) * {{ y }}
                    + {{ c[7] }})
                    / (((((((({{ y }} + {{ d[0] }}) * {{ y }} + {{ d[1] }}) * {{ y }} + {{ d[2] }}) * {{ y }}
                    + {{ d[3] }}) * {{ y }} + {{ d[4] }}) * {{ y }} + {{ d[5] }}) * {{ y }} + {{ d[6] }}) * {{ y }}
                    + {{ d[7] }}))
            when {{ y }} < 37.5
                then {{ gauss }}
                    * ({{ 0.3989422804014327 }} - nlt_r * ((((({{ p[5] }} * nlt_r + {{ p[0] }}) * nlt_r + {{ p[1] }})
                    * nlt_r + {{ p[2] }}) * nlt_r + {{ p[3] }}) * nlt_r + {{ p[4] }})
                    / (((((nlt_r + {{ q[0] }}) * nlt_r + {{ q[1] }}) * nlt_r + {{ q[2] }}) * nlt_r + {{ q[3] }})
                    * nlt_r + {{ q[4] }})) / {{ y }}
            else 0
        end
    {%- endset -%}
    {#- y capped at 38, so that no branch can overflow or underflow (PostgreSQL raises an error for either); y² is 0
        below 1e-100 and 1/y² is read only from y = 5.66 on -#}
    {{ journeys.statistics_let([
        ['nlt_y', 'least(' ~ value ~ ', 38)'],
        [
            ['nlt_s', 'case when nlt_y > 1e-100 then nlt_y * nlt_y else 0 end'],
            ['nlt_r', '1 / (greatest(nlt_y, 5) * greatest(nlt_y, 5))'],
        ],
    ], body) }}
{%- endmacro %}
