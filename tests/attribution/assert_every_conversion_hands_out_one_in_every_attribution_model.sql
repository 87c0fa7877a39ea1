{#- Every conversion of fct_conversions has credits in every attribution model, they sum to 1 (within 1e-9) and its
    attributed values sum to its value. One scan of the credits checks all three; a row here is a conversion and
    model without credits (credits NULL), with credits for a conversion or model that is not expected, or whose
    sums are off. -#}

with models as (
    {%- for model in journeys.attribution_heuristic_models() + journeys.attribution_data_driven_models() %}
    select '{{ model }}' as model  -- noqa: RF04
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

expected as (
    select
        conversions.conversion_id,
        models.model
    from {{ ref('fct_conversions') }} as conversions
    cross join models
),

totals as (
    select
        conversion_id,
        model,
        max(conversion_value) as conversion_value,
        sum(credit) as credits,
        sum(attributed_value) as attributed_value
    from {{ ref('fct_attribution_credits') }}
    group by conversion_id, model
),

final as (
    select
        coalesce(expected.conversion_id, totals.conversion_id) as conversion_id,
        coalesce(expected.model, totals.model) as model,  -- noqa: RF04
        totals.conversion_value,
        totals.credits,
        totals.attributed_value
    from expected
    full outer join totals
        on
            expected.conversion_id = totals.conversion_id
            and expected.model = totals.model
    where
        expected.conversion_id is null
        or totals.conversion_id is null
        or abs(totals.credits - 1) > 1e-9
        or abs(coalesce(totals.attributed_value, 0) - coalesce(totals.conversion_value, 0))
        > 1e-9 * (1 + abs(coalesce(totals.conversion_value, 0)))
)

select * from final
