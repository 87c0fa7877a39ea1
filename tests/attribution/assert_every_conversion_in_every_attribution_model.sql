{#- Every conversion of fct_conversions has credits in every attribution model; a row here is one that lacks them. -#}

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

credited as (
    select distinct
        conversion_id,
        model
    from {{ ref('fct_attribution_credits') }}
),

final as (
    select expected.*
    from expected
    left join credited
        on
            expected.conversion_id = credited.conversion_id
            and expected.model = credited.model
    where credited.conversion_id is null
)

select * from final
