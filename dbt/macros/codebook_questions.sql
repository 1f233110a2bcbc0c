{#- The coded questions of a survey in questionnaire order, read from the codebook
    (seeds/reference/enquete_vragen.csv) when the model runs, so that a new
    question is a codebook row and no SQL changes. The calling model must ref
    enquete_vragen itself. At parse time the list is empty. -#}
{% macro codebook_questions(onderzoek) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set rows = run_query(
        "select vraag from " ~ ref('enquete_vragen') ~ " where onderzoek = '" ~ onderzoek ~ "' order by volgorde"
    ) -%}
    {{ return(rows.columns[0].values() | list) }}
{%- endmacro %}
