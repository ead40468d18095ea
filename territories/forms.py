import re

from django import forms

from core.forms import VersionedModelForm
from territories import perms
from territories.models import Groupement

# A grouping lists at most a few hundred codes; longer text is refused before any query.
CODES_MAX_LENGTH = 20_000


def _codes(text: str) -> list[str]:
    return [code.strip().upper() for code in re.split(r"[,;\s]+", text) if code.strip()]


class GroupementForm(VersionedModelForm):
    epci_codes = forms.CharField(
        label="EPCI du groupement",
        required=False,
        max_length=CODES_MAX_LENGTH,
        help_text="SIREN des EPCI (9 chiffres), séparés par des virgules ou des espaces.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    commune_codes = forms.CharField(
        label="Communes ajoutées une à une",
        required=False,
        max_length=CODES_MAX_LENGTH,
        help_text="Codes INSEE des communes (5 caractères) qui ne sont pas dans un des EPCI ci-dessus.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Groupement
        fields = ["nom", "type"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.epci_choices = perms.groupement_epci_choices(user)
        self.commune_choices = perms.groupement_commune_choices(user)
        if self.instance.pk:
            self.fields["epci_codes"].initial = ", ".join(self.instance.epcis.values_list("code", flat=True))
            self.fields["commune_codes"].initial = ", ".join(self.instance.communes.values_list("code", flat=True))

    def _resolve(self, field: str, queryset, label: str):
        codes = _codes(self.cleaned_data[field])
        found = {obj.code: obj for obj in queryset.model.objects.filter(code__in=codes)}
        if unknown := [code for code in codes if code not in found]:
            raise forms.ValidationError(f"{label} introuvable(s) : {', '.join(unknown)}.")
        allowed = set(queryset.filter(code__in=codes).values_list("code", flat=True))
        if outside := [code for code in codes if code not in allowed]:
            raise forms.ValidationError(
                f"{label} hors de votre périmètre d’action (autre département) : {', '.join(outside)}."
            )
        return list(found.values())

    def clean_epci_codes(self):
        return self._resolve("epci_codes", self.epci_choices, "EPCI")

    def clean_commune_codes(self):
        return self._resolve("commune_codes", self.commune_choices, "Commune(s)")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("epci_codes") and not cleaned.get("commune_codes") and not self.errors:
            raise forms.ValidationError("Un groupement contient au moins un EPCI ou une commune.")
        return cleaned
