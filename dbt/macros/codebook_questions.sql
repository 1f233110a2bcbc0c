{#- Generated from seeds/reference/enquete_vragen.csv by `python -m dagster_project.generate.dbt_files`:
    do not edit. The coded questions of a survey in questionnaire order, so that
    a new question is a codebook row and no SQL changes. -#}
{% macro codebook_questions(onderzoek) -%}
    {%- set questions = {
        'ceo': ['wist_waar', 'snel_geholpen', 'serieus_genomen', 'samen_oplossingen', 'kwaliteit_goed', 'past_bij_hulpvraag', 'beter_dingen_doen', 'beter_redden', 'betere_kwaliteit_van_leven'],
        'inzet': ['cijfer'],
        'mto': ['cijfer'],
        'omnibus': ['geslacht', 'gezondheid', 'djg_1', 'djg_2', 'djg_3', 'djg_4', 'djg_5', 'djg_6', 'djg_7', 'djg_8', 'djg_9', 'djg_10', 'djg_11', 'vrijwilligerswerk']
    } -%}
    {{ return(questions[onderzoek]) }}
{%- endmacro %}
