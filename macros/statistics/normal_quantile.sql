{#- The standard normal quantile Φ⁻¹(p) for 0 < p < 1, as a double; NULL for NULL or p outside (0, 1). -#}
{% macro normal_quantile(p) -%}
    {{ return(adapter.dispatch('normal_quantile', 'journeys')(p)) }}
{%- endmacro %}

{#- Every engine: none has a normal quantile function, so M. J. Wichura's algorithm AS 241 (PPND16, Applied
    Statistics 1988), three rational approximations in portable SQL, about 1e-16 relative error. p below 1e-300
    (or above 1 - 1e-300) is read as 1e-300, whose quantile is -37.05. -#}
{% macro default__normal_quantile(p) -%}
    {%- set a = [3.3871328727963666080, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
        45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727] -%}
    {%- set b = [1, 42.313330701600911252, 687.18700749205790830, 5394.1960214247511077, 21213.794301586595867,
        39307.895800092710610, 28729.085735721942674, 5226.4952788528545610] -%}
    {%- set c = [1.42343711074968357734, 4.63033784615654529590, 5.76949722146069140550, 3.64784832476320460504,
        1.27045825245236838258, 0.241780725177450611770, 0.0227238449892691845833, 7.74545014278341407640e-4] -%}
    {%- set d = [1, 2.05319162663775882187, 1.67638483018380384940, 0.689767334985100004550,
        0.148103976427480074590, 0.0151986665636164571966, 5.47593808499534494600e-4, 1.05075007164441684324e-9] -%}
    {%- set e = [6.65790464350110377720, 5.46378491116411436990, 1.78482653991729133580, 0.296560571828504891230,
        0.0265321895265761230930, 0.00124266094738807843860, 2.71155556874348757815e-5,
        2.01033439929228813265e-7] -%}
    {%- set f = [1, 0.599832206555887937690, 0.136929880922735805310, 0.0148753612908506148525,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
        2.04426310338993978564e-15] -%}
    {%- set body -%}
        case
            when nq_p is null or nq_p <= 0 or nq_p >= 1 then null
            when abs(nq_q) <= 0.425
                then nq_q * ({{ journeys.statistics_polynomial(a, 'nq_c') }})
                    / ({{ journeys.statistics_polynomial(b, 'nq_c') }})
            when nq_r <= 5
                then sign(nq_q) * ({{ journeys.statistics_polynomial(c, 'nq_r1') }})
                    / ({{ journeys.statistics_polynomial(d, 'nq_r1') }})
            else sign(nq_q) * ({{ journeys.statistics_polynomial(e, 'nq_r5') }})
                / ({{ journeys.statistics_polynomial(f, 'nq_r5') }})
        end
    {%- endset -%}
    {#- p is kept within [0, 1] for the square and the logarithm, which then cannot fail -#}
    {{ journeys.statistics_let([
        ['nq_p', 'cast(' ~ p ~ ' as ' ~ dbt.type_float() ~ ')'],
        ['nq_q', 'least(greatest(nq_p, 0), 1) - 0.5'],
        [
            ['nq_c', '0.180625 - nq_q * nq_q'],
            ['nq_r', 'sqrt(-ln(greatest(least(nq_p, 1 - nq_p), 1e-300)))'],
        ],
        [
            ['nq_r1', 'nq_r - 1.6'],
            ['nq_r5', 'nq_r - 5'],
        ],
    ], body) }}
{%- endmacro %}
