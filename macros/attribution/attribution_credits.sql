{#- The credit of each touch under one or more heuristic attribution models: see _attribution__macros.yml for the
    arguments and models. One window pass over the touches (their number, count, and the sums each model needs,
    in one partitioning), then one row per touch and model. -#}
{% macro attribution_credits(
    relation, partition_by, order_by, models, channel='channel', days_before='days_before', weight='weight',
    half_life_days=none, position_weights=none, direct_channel='Direct'
) -%}
    {%- set models = [models] if models is string else models -%}
    {%- for model in models if model not in journeys.attribution_heuristic_models() -%}
        {{ exceptions.raise_compiler_error(
            "journeys: attribution_credits: model '" ~ model ~ "' is not one of: "
            ~ (journeys.attribution_heuristic_models() | join(', '))) }}
    {%- endfor -%}
    {%- set order_by = [order_by] if order_by is string else order_by -%}
    {%- set conversion = 'partition by ' ~ partition_by -%}
    {%- set position = 'attribution_touch_position' -%}
    {%- set count = 'attribution_touch_count' -%}
    {#- every number is a double: a decimal literal would divide as a decimal on Spark -#}
    {%- set float = dbt.type_float() -%}
    {%- set windows = {} -%}
    {%- set credits = {
        'first_touch': 'case when ' ~ position ~ ' = 1 then 1 else 0 end',
        'last_touch': 'case when ' ~ position ~ ' = ' ~ count ~ ' then 1 else 0 end',
        'linear': 'cast(1 as ' ~ float ~ ') / ' ~ count,
    } -%}

    {%- if 'time_decay' in models -%}
        {%- set half_life = half_life_days if half_life_days is not none
            else journeys.var_positive_number('journeys__attribution_half_life_days') -%}
        {%- set decay = 'power(cast(2 as ' ~ float ~ '), -(' ~ days_before ~ ') / cast(' ~ half_life ~ ' as '
            ~ float ~ '))' -%}
        {%- do windows.update({'attribution_decay_total': 'sum(' ~ decay ~ ') over (' ~ conversion ~ ')'}) -%}
        {%- do credits.update({'time_decay': decay ~ ' / attribution_decay_total'}) -%}
    {%- endif -%}
    {%- if 'position_based' in models -%}
        {%- set shares = journeys.attribution_position_shares(position_weights) -%}
        {%- do credits.update({'position_based':
            'case when ' ~ count ~ ' = 1 then 1 when ' ~ count ~ ' = 2 then cast(0.5 as ' ~ float ~ ')'
            ~ ' when ' ~ position ~ ' = 1 then cast(' ~ shares[0] ~ ' as ' ~ float ~ ')'
            ~ ' when ' ~ position ~ ' = ' ~ count ~ ' then cast(' ~ shares[2] ~ ' as ' ~ float ~ ')'
            ~ ' else cast(' ~ shares[1] ~ ' as ' ~ float ~ ') / (' ~ count ~ ' - 2) end'}) -%}
    {%- endif -%}
    {%- if 'weighted' in models -%}
        {#- all weights 0: every touch 0 (the caller gives the conversion's credit to an unattributed row) -#}
        {%- do windows.update({'attribution_weight_total': 'sum(' ~ weight ~ ') over (' ~ conversion ~ ')'}) -%}
        {%- do credits.update({'weighted':
            'case when attribution_weight_total > 0 then ' ~ weight ~ ' / attribution_weight_total else 0 end'}) -%}
    {%- endif -%}
    {%- if 'last_non_direct' in models -%}
        {%- set last_non_direct = 'max(case when coalesce(' ~ channel ~ ", '') != '" ~ direct_channel ~ "' then "
            ~ position ~ ' end) over (' ~ conversion ~ ')' -%}
        {%- do credits.update({'last_non_direct': 'case when ' ~ position ~ ' = coalesce('
            ~ 'attribution_last_non_direct_position, ' ~ count ~ ') then 1 else 0 end'}) -%}
    {%- endif -%}

    select
        attribution_touches.*,
        attribution_models.model,
        cast(
            case attribution_models.model
                {%- for model in models %}
                when '{{ model }}' then {{ credits[model] }}
                {%- endfor %}
            end
            as {{ dbt.type_float() }}
        ) as credit
    from (
        {%- if last_non_direct is defined %}
        select
            *,
            {{ last_non_direct }} as attribution_last_non_direct_position
        from (
        {%- endif %}
        select
            *,
            row_number() over ({{ conversion }} order by {{ order_by | join(', ') }}) as {{ position }},
            count(*) over ({{ conversion }}) as {{ count }}
            {%- for name, window in windows.items() %},
            {{ window }} as {{ name }}
            {%- endfor %}
        from {{ relation }}
    {%- if last_non_direct is defined %}
        ) as attribution_touches_numbered
    {%- endif %}
    ) as attribution_touches
    cross join (
        {%- for model in models %}
        select '{{ model }}' as model
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as attribution_models
{%- endmacro %}

{#- The heuristic models attribution_credits knows, in one place. -#}
{% macro attribution_heuristic_models() -%}
    {{ return(['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'weighted']) }}
{%- endmacro %}

{#- The data-driven models (scored over paths by the int_attribution_* models), in one place. -#}
{% macro attribution_data_driven_models() -%}
    {{ return(['markov', 'shapley', 'counterfactual']) }}
{%- endmacro %}

{#- The shares of the first, middle and last touches of position_based, normalised to sum 1: from `weights` (a
    list of three numbers of which at least one is positive), else var journeys__attribution_position_weights. -#}
{% macro attribution_position_shares(weights=none) -%}
    {%- set name = 'journeys__attribution_position_weights' -%}
    {%- set weights = var(name) if weights is none else weights -%}
    {%- if weights is string or weights is not iterable or (weights | length) != 3
        or (weights | reject('number') | list) or (weights | select('lt', 0) | list) or (weights | sum) <= 0 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: position weights (var " ~ name ~ ") are '" ~ weights ~ "'; they must be three numbers of "
            ~ "0 or more, not all 0, for the first, the middle and the last touches, e.g. [40, 20, 40]") }}
    {%- endif -%}
    {%- set total = weights | sum -%}
    {{ return([weights[0] / total, weights[1] / total, weights[2] / total]) }}
{%- endmacro %}
