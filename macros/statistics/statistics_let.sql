{#- `body` with names bound to values, as one SQL expression. SQL has no `let`, and the distribution macros read
    each input and intermediate many times: written out, an input would be repeated hundreds of times and each
    Newton step would copy the whole previous step (text growing exponentially); bound, every value is written and
    computed once per row. `bindings` is a list whose entries are bound in order, each a [name, value] pair or a
    list of such pairs bound together (their values cannot read each other's names); a value may read the names
    bound before it. Names are plain identifiers, unique within the nesting. -#}
{% macro statistics_let(bindings, body) -%}
    {{ return(adapter.dispatch('statistics_let', 'journeys')(bindings, body)) }}
{%- endmacro %}

{#- PostgreSQL and DuckDB: one scalar subquery whose from clause binds the entries, the first as a subquery, each
    next as a lateral one that reads the names before it. `limit 1` keeps the planner from pulling a subquery up,
    which would paste each value back into every place that reads it (`offset 0` would too, but sqlfluff's grammar
    does not parse it in a select without a from clause). A chain of laterals, rather than nested subqueries,
    keeps the SQL shallow: sqlfluff stops parsing at a depth of 600, and each nested subquery costs about 27. -#}
{% macro default__statistics_let(bindings, body) -%}
    {%- set scopes = [] -%}
    {%- for entry in bindings -%}
        {%- set pairs = [entry] if entry[0] is string else entry -%}
        {%- set columns = [] -%}
        {%- for name, value in pairs -%}
            {%- do columns.append(value ~ ' as ' ~ name) -%}
        {%- endfor -%}
        {%- do scopes.append(('' if loop.first else 'cross join lateral ') ~ '(select ' ~ columns | join(', ')
            ~ ' limit 1) as ' ~ pairs[0][0] ~ '_scope') -%}
    {%- endfor -%}
    (select {{ body }} from {{ scopes | join(' ') }})
{%- endmacro %}

{#- Spark: a correlated scalar subquery must be an aggregate there, so a lambda over a one-element array binds
    each entry, a struct's fields for a list of pairs. `aggregate` rather than `transform(...)[0]`: Spark's
    analyzer takes time exponential in the depth of nested `transform` lambdas (25 levels: 11 s, 30: 200 s) and
    linear with `aggregate`. It resolves one level of nesting per iteration, at most 100
    (spark.sql.analyzer.maxIterations), hence the lists of pairs, which bind several names in one level. The body
    is a double. -#}
{% macro spark__statistics_let(bindings, body) -%}
    {%- set expression = namespace(sql=body) -%}
    {%- for entry in bindings | reverse -%}
        {%- if entry[0] is string -%}
            {%- set expression.sql = 'aggregate(array(' ~ entry[1] ~ '), cast(null as double), (' ~ entry[0]
                ~ '_unused, ' ~ entry[0] ~ ') -> cast(' ~ expression.sql ~ ' as double))' -%}
        {%- else -%}
            {%- set group = entry[0][0] ~ '_group' -%}
            {%- set fields = [] -%}
            {%- for name, value in entry -%}
                {%- do fields.append("'" ~ name ~ "', " ~ value) -%}
                {%- set expression.sql = modules.re.sub('\\b' ~ name ~ '\\b', group ~ '.' ~ name, expression.sql) -%}
            {%- endfor -%}
            {%- set expression.sql = 'aggregate(array(named_struct(' ~ fields | join(', ') ~ ')), cast(null as double), ('
                ~ group ~ '_unused, ' ~ group ~ ') -> cast(' ~ expression.sql ~ ' as double))' -%}
        {%- endif -%}
    {%- endfor -%}
    {{ expression.sql }}
{%- endmacro %}
