{#- The class of device a user agent describes: bot, tablet, mobile or desktop (NULL for NULL). Bots are
    recognised by var journeys__bot_user_agent_regex. -#}
{% macro device_class(user_agent) -%}
    case
        when {{ user_agent }} is null then null
        when {{ journeys.is_bot_user_agent(user_agent) }} then 'bot'
        when {{ journeys.regexp_like(user_agent, 'ipad|tablet|kindle|silk/|playbook') }} then 'tablet'
        when {{ journeys.regexp_like(user_agent, 'android') }}
            and not {{ journeys.regexp_like(user_agent, 'mobile') }} then 'tablet'
        when {{ journeys.regexp_like(user_agent, 'mobi|iphone|ipod|android|blackberry|opera mini|windows phone') }}
            then 'mobile'
        else 'desktop'
    end
{%- endmacro %}

{#- True when the user agent matches var journeys__bot_user_agent_regex (case-insensitive). -#}
{% macro is_bot_user_agent(user_agent) -%}
    {%- set pattern = var('journeys__bot_user_agent_regex') -%}
    {%- if "'" in pattern or "\\" in pattern -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var journeys__bot_user_agent_regex must not contain single quotes or backslashes "
            ~ "(use [.] for a literal dot); it is: " ~ pattern) }}
    {%- endif -%}
    {{ journeys.regexp_like(user_agent, pattern) }}
{%- endmacro %}
