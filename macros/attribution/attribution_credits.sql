{#- The credit of each touch under a heuristic attribution model: see _attribution__macros.yml for the arguments
    and models. One window pass numbers the touches, a second one (time_decay, weighted, last_non_direct) sums
    or finds what the model needs over the conversion's touches. -#}
{% macro attribution_credits(
    relation, partition_by, order_by, model, channel='channel', days_before='days_before', weight='weight',
    half_life_days=none, position_weights=none, direct_channel='Direct'
) -%}
    {%- if model not in journeys.attribution_heuristic_models() -%}
        {{ exceptions.raise_compiler_error(
            "journeys: attribution_credits: model '" ~ model ~ "' is not one of: "
            ~ (journeys.attribution_heuristic_models() | join(', '))) }}
    {%- endif -%}
    {%- set order_by = [order_by] if order_by is string else order_by -%}
    {%- set conversion = 'partition by ' ~ partition_by -%}
    {%- set position = 'attribution_touch_position' -%}
    {%- set count = 'attribution_touch_count' -%}

    {%- if model == 'time_decay' -%}
        {%- set half_life = half_life_days if half_life_days is not none
            else journeys.var_positive_number('journeys__attribution_half_life_days') -%}
        {%- set decay = 'power(cast(2 as ' ~ dbt.type_float() ~ '), -(' ~ days_before ~ ') / ' ~ half_life ~ ')' -%}
        {%- set credit = decay ~ ' / sum(' ~ decay ~ ') over (' ~ conversion ~ ')' -%}
    {%- elif model == 'position_based' -%}
        {%- set shares = journeys.attribution_position_shares(position_weights) -%}
        {%- set credit -%}
            case
                when {{ count }} = 1 then 1
                when {{ count }} = 2 then 0.5
                when {{ position }} = 1 then {{ shares[0] }}
                when {{ position }} = {{ count }} then {{ shares[2] }}
                else {{ shares[1] }} / ({{ count }} - 2)
            end
        {%- endset -%}
    {%- elif model == 'weighted' -%}
        {#- all weights 0: every touch 0 (the caller gives the conversion's credit to its `(none)` touch) -#}
        {%- set credit = 'coalesce(' ~ weight ~ ' / nullif(sum(' ~ weight ~ ') over (' ~ conversion ~ '), 0), 0)' -%}
    {%- elif model == 'last_non_direct' -%}
        {%- set credited = 'coalesce(max(case when coalesce(' ~ channel ~ ", '') != '" ~ direct_channel
            ~ "' then " ~ position ~ ' end) over (' ~ conversion ~ '), ' ~ count ~ ')' -%}
        {%- set credit = 'case when ' ~ position ~ ' = ' ~ credited ~ ' then 1 else 0 end' -%}
    {%- else -%}
        {%- set credit = {
            'first_touch': 'case when ' ~ position ~ ' = 1 then 1 else 0 end',
            'last_touch': 'case when ' ~ position ~ ' = ' ~ count ~ ' then 1 else 0 end',
            'linear': '1.0 / ' ~ count,
        }[model] -%}
    {%- endif -%}

    select
        *,
        cast({{ credit }} as {{ dbt.type_float() }}) as credit
    from (
        select
            *,
            row_number() over ({{ conversion }} order by {{ order_by | join(', ') }}) as {{ position }},
            count(*) over ({{ conversion }}) as {{ count }}
        from {{ relation }}
    ) as attribution_touches_numbered
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
