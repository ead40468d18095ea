from django import template

from core.numbers import fmt
from diagnostics.queries import fmt_value

register = template.Library()


@register.filter
def nombre(value, decimals=1):
    return fmt(value, int(decimals))


@register.simple_tag
def valeur_indicateur(item, indicateur):
    figure = item.valeurs.get(indicateur.code)
    return fmt_value(indicateur, figure.value if figure else None)
