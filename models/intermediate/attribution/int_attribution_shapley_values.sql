{#- The Shapley value of each channel of each set of channels that a converting attribution path holds (see the
    attribution docs): the game of a conversion name gives a set of channels the conversion rate of the paths whose
    channels are exactly that set (unseen sets and the empty set are worth 0), so only the seen subsets of a
    path's set add to its channels' values. The weight of a subset S of a set of n channels is
    |S|! (n - |S| - 1)! / n!, from factorials of the channel numbers. Everything here is over the distinct sets of
    channels, never over the events. -#}

with set_values as (
    select
        conversion_name,
        channel_set,
        channel_count,
        cast(sum(case when is_conversion then 1 else 0 end) as {{ dbt.type_float() }}) / count(*) as set_value
    from {{ ref('int_attribution_paths') }}
    group by conversion_name, channel_set, channel_count
),

converting_sets as (
    select
        conversion_name,
        channel_set,
        channel_count
    from set_values
    where set_value > 0
),

channels as (
    select
        channel,
        channel_number,
        channel_bit
    from {{ ref('int_attribution_channels') }}
),

{# k! for k = 0 .. the number of channels, as exp(ln 1 + ... + ln k) rounded to the whole number it is (exact
    up to 18!, the last factorial a double holds exactly) #}
factorials as (
    select
        0 as k,
        cast(1 as {{ dbt.type_float() }}) as factorial
    union all
    select
        channel_number as k,
        round(exp(sum(ln(channel_number)) over (
            order by channel_number rows between unbounded preceding and current row
        ))) as factorial
    from channels
),

{# each channel i of each converting set N, and each seen subset S of N: S + i is worth v(S) when S holds i
    (a term of weight (|S| - 1)! (n - |S|)! / n!), and S without i is taken from it when it does not #}
terms as (
    select
        converting_sets.conversion_name,
        converting_sets.channel_set,
        channels.channel,
        case
            when (subsets.channel_set & channels.channel_bit) != 0
                then subsets.set_value * with_i_before.factorial * with_i_after.factorial / whole.factorial
            else -subsets.set_value * without_i_before.factorial * without_i_after.factorial / whole.factorial
        end as term
    from converting_sets
    inner join channels
        on (converting_sets.channel_set & channels.channel_bit) != 0
    inner join set_values as subsets
        on
            converting_sets.conversion_name = subsets.conversion_name
            and (subsets.channel_set & converting_sets.channel_set) = subsets.channel_set
    inner join factorials as whole
        on converting_sets.channel_count = whole.k
    left join factorials as with_i_before
        on subsets.channel_count - 1 = with_i_before.k
    left join factorials as with_i_after
        on converting_sets.channel_count - subsets.channel_count = with_i_after.k
    left join factorials as without_i_before
        on subsets.channel_count = without_i_before.k
    left join factorials as without_i_after
        on converting_sets.channel_count - subsets.channel_count - 1 = without_i_after.k
),

final as (
    select
        {{ dbt.concat(['conversion_name', "'|'", 'cast(channel_set as ' ~ dbt.type_string() ~ ')', "'|'", 'channel']) }}
            as shapley_value_id,
        conversion_name,
        channel_set,
        channel,
        sum(term) as shapley_value
    from terms
    group by conversion_name, channel_set, channel
)

select * from final
