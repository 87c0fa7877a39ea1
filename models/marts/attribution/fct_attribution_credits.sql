{#- One row per conversion (fct_conversions), attribution model and touch: the touch's credit (the credits of a
    conversion sum to 1 in every model) and attributed value (see the attribution docs). The heuristic models come
    from macro attribution_credits over the touches (int_attribution_touches); the data-driven ones score the
    channels of the conversion's own path (markov, shapley, counterfactual), normalise the scores over them, and
    share a channel's part evenly over the conversion's touches of that channel (all scores 0: the last touch). A
    conversion without a touch, and one whose touches all weigh 0 in `weighted`, credit a `(none)` touch.
    Rebuilt each run: its size is conversions x touches x models. -#}

{%- set heuristic_models = journeys.attribution_heuristic_models() -%}
{%- set data_driven_models = journeys.attribution_data_driven_models() %}

with conversions as (
    select
        conversion_id,
        conversion_name,
        person_id,
        converted_at,
        value as conversion_value
    from {{ ref('fct_conversions') }}
),

weights as (
    select
        channel,
        {{ journeys.seed_text('campaign') }} as campaign,
        cast(weight as {{ dbt.type_float() }}) as weight
    from {{ ref('attribution_channel_weights') }}
),

touches as (
    select
        touches.conversion_id,
        touches.session_id,
        touches.touch_index,
        touches.touch_count,
        touches.days_before,
        touches.channel,
        touches.utm_source,
        touches.utm_medium,
        touches.utm_campaign,
        coalesce(campaign_weights.weight, channel_weights.weight, 1) as weight,
        count(*) over (partition by touches.conversion_id, touches.channel) as channel_touches
    from {{ ref('int_attribution_touches') }} as touches
    left join weights as campaign_weights
        on
            touches.channel = campaign_weights.channel
            and touches.utm_campaign = campaign_weights.campaign
    left join weights as channel_weights
        on
            touches.channel = channel_weights.channel
            and channel_weights.campaign is null
),

heuristic_credits as (
    select
        model,
        conversion_id,
        session_id,
        touch_index,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        credit,
        model = 'weighted' and attribution_weight_total = 0 and touch_index = 1 as leaves_conversion_unattributed
    from ({{ journeys.attribution_credits('touches', 'conversion_id', ['touch_index'], heuristic_models) }})
        as heuristic_touch_credits
),

conversion_paths as (
    select
        conversion_name,
        path_id as conversion_id,
        path,
        channel_set
    from {{ ref('int_attribution_paths') }}
    where is_conversion
),

conversion_path_channels as (
    select distinct
        conversion_name,
        path_id as conversion_id,
        channel
    from {{ ref('int_attribution_path_steps') }}
    where is_conversion
),

{# each data-driven model's score of each channel of a conversion's path #}
channel_scores as (
    select
        'markov' as model,  -- noqa: RF04
        conversion_path_channels.conversion_id,
        conversion_path_channels.channel,
        removal_effects.removal_effect as score
    from conversion_path_channels
    inner join {{ ref('int_attribution_markov_removal_effects') }} as removal_effects
        on
            conversion_path_channels.conversion_name = removal_effects.conversion_name
            and conversion_path_channels.channel = removal_effects.channel
    union all
    select
        'shapley' as model,  -- noqa: RF04
        conversion_paths.conversion_id,
        shapley_values.channel,
        greatest(shapley_values.shapley_value, 0) as score
    from conversion_paths
    inner join {{ ref('int_attribution_shapley_values') }} as shapley_values
        on
            conversion_paths.conversion_name = shapley_values.conversion_name
            and conversion_paths.channel_set = shapley_values.channel_set
    union all
    select
        'counterfactual' as model,  -- noqa: RF04
        conversion_paths.conversion_id,
        counterfactual_scores.channel,
        sum(counterfactual_scores.counterfactual_score) as score
    from conversion_paths
    inner join {{ ref('int_attribution_counterfactual_scores') }} as counterfactual_scores
        on
            conversion_paths.conversion_name = counterfactual_scores.conversion_name
            and conversion_paths.path = counterfactual_scores.path
    group by conversion_paths.conversion_id, counterfactual_scores.channel
),

data_driven_models as (
    {%- for model in data_driven_models %}
    select '{{ model }}' as model  -- noqa: RF04
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

models as (
    {%- for model in heuristic_models + data_driven_models %}
    select '{{ model }}' as model  -- noqa: RF04
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

touched_conversions as (
    select distinct conversion_id
    from {{ ref('int_attribution_touches') }}
),

{# the whole credit of a conversion whose path scores 0 everywhere goes to its last touch #}
scored_conversions as (
    select
        model,
        conversion_id,
        sum(score) as conversion_score
    from channel_scores
    group by model, conversion_id
),

data_driven_credits as (
    select
        data_driven_models.model,
        touches.conversion_id,
        touches.session_id,
        touches.touch_index,
        touches.channel,
        touches.utm_source,
        touches.utm_medium,
        touches.utm_campaign,
        case
            when scored_conversions.conversion_score > 0
                then coalesce(channel_scores.score, 0) / scored_conversions.conversion_score / touches.channel_touches
            when touches.touch_index = touches.touch_count then 1
            else 0
        end as credit
    from touches
    cross join data_driven_models
    left join scored_conversions
        on
            data_driven_models.model = scored_conversions.model
            and touches.conversion_id = scored_conversions.conversion_id
    left join channel_scores
        on
            data_driven_models.model = channel_scores.model
            and touches.conversion_id = channel_scores.conversion_id
            and touches.channel = channel_scores.channel
),

{# a conversion without touches, in every model, and one whose touches all weigh 0 in `weighted` #}
unattributed as (
    select
        models.model,
        conversions.conversion_id
    from conversions
    cross join models
    left join touched_conversions
        on conversions.conversion_id = touched_conversions.conversion_id
    where touched_conversions.conversion_id is null
    union all
    select
        model,
        conversion_id
    from heuristic_credits
    where leaves_conversion_unattributed
),

credits as (
    {%- for touch_credits in ['heuristic_credits', 'data_driven_credits'] %}
    select
        model,
        conversion_id,
        session_id,
        touch_index,
        channel,
        utm_source as source,
        utm_medium as medium,
        utm_campaign as campaign,
        cast(credit as {{ dbt.type_float() }}) as credit
    from {{ touch_credits }}
    union all
    {%- endfor %}
    select
        model,
        conversion_id,
        '(none)' as session_id,
        cast(0 as {{ dbt.type_bigint() }}) as touch_index,
        '(none)' as channel,
        cast(null as {{ dbt.type_string() }}) as source,
        cast(null as {{ dbt.type_string() }}) as medium,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(1 as {{ dbt.type_float() }}) as credit
    from unattributed
),

final as (
    select
        {{ dbt.concat(['credits.model', "'|'", 'credits.conversion_id', "'|'", 'credits.session_id']) }}
            as attribution_credit_id,
        credits.conversion_id,
        conversions.conversion_name,
        conversions.person_id,
        conversions.converted_at,
        conversions.conversion_value,
        credits.model,
        credits.session_id,
        credits.touch_index,
        credits.channel,
        credits.source,
        credits.medium,
        credits.campaign,
        credits.credit,
        credits.credit * conversions.conversion_value as attributed_value
    from credits
    inner join conversions
        on credits.conversion_id = conversions.conversion_id
)

select * from final
