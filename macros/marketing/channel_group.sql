{#-
    The channel (and whether it is paid) of a marketing touch, by the ordered rules of seed
    `channel_rules`: the first rule whose every non-empty condition holds wins. Conditions: has_campaign
    (any utm source/medium/campaign or click id), has_referrer, and case-insensitive regular expressions
    on utm_source, utm_medium, click_id_type and referrer_medium (from seed `referrer_hosts`). Users
    change channels by editing the CSV; the rules are read when the model compiles.
    `touch` maps the condition names to SQL expressions of the calling model; `output` is 'channel' or
    'is_paid'.
-#}
{% macro channel_group(touch, output='channel') -%}
    {%- set rules_relation = ref('channel_rules') -%}
    {#- at parse time, and in a unit test (the seed is a fixture there, not a table to read rules from) #}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return("cast(null as " ~ (dbt.type_string() if output == 'channel' else dbt.type_boolean()) ~ ")") }}
    {%- endif -%}
    {%- set rules = run_query(
        "select channel, is_paid, has_campaign, has_referrer, utm_source_pattern, utm_medium_pattern, "
        ~ "click_id_type_pattern, referrer_medium_pattern from " ~ rules_relation ~ " order by rule_order"
    ) -%}
    case
    {%- for rule in rules.rows %}
        {%- set conditions = [] -%}
        {%- for flag in ['has_campaign', 'has_referrer'] -%}
            {%- if journeys.seed_cell_is_set(rule[flag]) -%}
                {%- do conditions.append(('' if journeys.seed_boolean(rule[flag]) else 'not ') ~ touch[flag]) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for column in ['utm_source', 'utm_medium', 'click_id_type', 'referrer_medium'] -%}
            {%- set pattern = rule[column ~ '_pattern'] -%}
            {%- if journeys.seed_cell_is_set(pattern) -%}
                {%- if "'" in pattern or "\\" in pattern -%}
                    {{ exceptions.raise_compiler_error(
                        "journeys: seed channel_rules, rule '" ~ rule['channel'] ~ "': " ~ column ~ "_pattern must not "
                        ~ "contain single quotes or backslashes (use [.] for a literal dot): " ~ pattern) }}
                {%- endif -%}
                {%- do conditions.append(journeys.regexp_like(touch[column], pattern)) -%}
            {%- endif -%}
        {%- endfor %}
        when {{ conditions | join('\n            and ') if conditions else 'true' }}
            then {{ "'" ~ rule['channel'] ~ "'" if output == 'channel' else ('true' if journeys.seed_boolean(rule['is_paid']) else 'false') }}
    {%- endfor %}
    end
{%- endmacro %}

{#- Whether a seed cell holds a value: empty cells read as NULL, '' or (Spark's seed loader) 'None'. -#}
{% macro seed_cell_is_set(value) -%}
    {{ return(value is not none and (value | string | trim) not in ('', 'None')) }}
{%- endmacro %}

{#- A seed cell as a boolean, whether the engine typed the column boolean or text. -#}
{% macro seed_boolean(value) -%}
    {{ return(value in (true, 'true', 'True', 't', '1', 1)) }}
{%- endmacro %}
