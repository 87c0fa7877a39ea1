{#- Attributed conversions and value per conversion name, attribution model, channel and campaign, with the ad
    spend of the channel and campaign over the data's period when the ad spend source is on. A campaign with
    spend and no credit of a conversion name and model still has its row (0 conversions). -#}
{%- set spend_enabled = journeys.source_table_enabled('marketing', 'ad_spend') %}

with credits as (
    select
        conversion_name,
        model,
        channel,
        campaign,
        credit,
        attributed_value,
        conversion_value
    from {{ ref('fct_attribution_credits') }}
),

sessions as (
    select
        started_at,
        ended_at
    from {{ ref('fct_sessions') }}
),

ad_spend as (
    select
        spend_date,
        channel,
        campaign,
        spend
    from {{ ref('stg_marketing__ad_spend') }}
),

data_period as (
    select
        cast(min(started_at) as date) as first_date,
        cast(max(ended_at) as date) as last_date
    from sessions
),

spend_in_period as (
    select
        ad_spend.channel,
        ad_spend.campaign,
        sum(ad_spend.spend) as spend
    from ad_spend
    inner join data_period
        on ad_spend.spend_date between data_period.first_date and data_period.last_date
    group by
        ad_spend.channel,
        ad_spend.campaign
),

credited as (
    select
        conversion_name,
        model,
        channel,
        campaign,
        sum(credit) as conversions,
        sum(attributed_value) as attributed_value
    from credits
    group by
        conversion_name,
        model,
        channel,
        campaign
),

{# a conversion name whose conversions carry values has a value on every row (0 where nothing carries one) #}
conversion_models as (
    select
        conversion_name,
        model,
        max(case when conversion_value is not null then 1 else 0 end) as has_value
    from credits
    group by
        conversion_name,
        model
),

spend_without_credit as (
    select
        conversion_models.conversion_name,
        conversion_models.model,
        spend_in_period.channel,
        spend_in_period.campaign,
        cast(0 as {{ dbt.type_float() }}) as conversions,
        cast(null as {{ dbt.type_float() }}) as attributed_value
    from conversion_models
    cross join spend_in_period
    left join credited
        on
            conversion_models.conversion_name = credited.conversion_name
            and conversion_models.model = credited.model
            and spend_in_period.channel = credited.channel
            and spend_in_period.campaign = credited.campaign
    where credited.conversion_name is null
),

campaign_rows as (
    select * from credited
    union all
    select * from spend_without_credit
),

with_spend as (
    select
        campaign_rows.conversion_name,
        campaign_rows.model,
        campaign_rows.channel,
        campaign_rows.campaign,
        campaign_rows.conversions,
        case
            when conversion_models.has_value = 1 then coalesce(campaign_rows.attributed_value, 0)
        end as attributed_value,
        {% if spend_enabled -%}
        coalesce(spend_in_period.spend, 0) as spend
        {%- else -%}
        cast(null as {{ dbt.type_float() }}) as spend
        {%- endif %}
    from campaign_rows
    inner join conversion_models
        on
            campaign_rows.conversion_name = conversion_models.conversion_name
            and campaign_rows.model = conversion_models.model
    {% if spend_enabled -%}
    left join spend_in_period
        on
            campaign_rows.channel = spend_in_period.channel
            and campaign_rows.campaign = spend_in_period.campaign
    {%- endif %}
),

final as (
    select
        {#- NULL and each value apart: a NULL campaign is '-', a value is prefixed #}
        {{ dbt.hash(dbt.concat([
            'conversion_name', "'|'", 'model', "'|'", 'channel',
            "'|'", "case when campaign is null then '-' else " ~ dbt.concat(["'c:'", 'campaign']) ~ " end",
        ])) }} as attribution_campaign_id,
        conversion_name,
        model,
        channel,
        campaign,
        cast(conversions as {{ dbt.type_float() }}) as conversions,
        cast(attributed_value as {{ dbt.type_float() }}) as attributed_value,
        cast(spend as {{ dbt.type_float() }}) as spend,
        cast(case when conversions > 0 then spend / conversions end as {{ dbt.type_float() }}) as cost_per_conversion,
        cast(case when spend > 0 then attributed_value / spend end as {{ dbt.type_float() }}) as roas
    from with_spend
)

select * from final
