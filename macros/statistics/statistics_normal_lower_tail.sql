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
    {%- set gauss = 'exp(-0.5 * nlt_u * nlt_u) * exp(-0.5 * (nlt_y - nlt_u) * (nlt_y + nlt_u))' -%}
    {%- set body -%}
        case
            when nlt_y <= 0.66291
                then 0.5 - nlt_y * ({{ journeys.statistics_polynomial([a[3], a[2], a[1], a[0], a[4]], 'nlt_s') }})
                    / ({{ journeys.statistics_polynomial([b[3], b[2], b[1], b[0], 1], 'nlt_s') }})
            when nlt_y <= 5.656854249492380
                then {{ gauss }}
                    * ({{ journeys.statistics_polynomial([c[7], c[6], c[5], c[4], c[3], c[2], c[1], c[0], c[8]], 'nlt_y') }})
                    / ({{ journeys.statistics_polynomial([d[7], d[6], d[5], d[4], d[3], d[2], d[1], d[0], 1], 'nlt_y') }})
            when nlt_y < 37.5
                then {{ gauss }} * ({{ 0.3989422804014327 }} - nlt_r
                    * ({{ journeys.statistics_polynomial([p[4], p[3], p[2], p[1], p[0], p[5]], 'nlt_r') }})
                    / ({{ journeys.statistics_polynomial([q[4], q[3], q[2], q[1], q[0], 1], 'nlt_r') }})) / nlt_y
            else 0
        end
    {%- endset -%}
    {#- y capped at 38, so that no branch can overflow or underflow (PostgreSQL raises an error for either); y² is 0
        below 1e-30 (its fourth power must stay a double) and 1/y² is read only from y = 5.66 on -#}
    {{ journeys.statistics_let([
        ['nlt_y', 'least(' ~ value ~ ', 38)'],
        [
            ['nlt_s', 'case when nlt_y > 1e-30 then nlt_y * nlt_y else 0 end'],
            ['nlt_r', '1 / (greatest(nlt_y, 5) * greatest(nlt_y, 5))'],
            ['nlt_u', 'floor(16 * nlt_y) / 16'],
        ],
    ], body) }}
{%- endmacro %}
