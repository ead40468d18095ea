import re

from django import forms
from dsfr.forms import DsfrBaseForm

from territories.models import Commune, Epci, Groupement


def _codes(text: str) -> list[str]:
    return [code.strip().upper() for code in re.split(r"[,;\s]+", text) if code.strip()]


class GroupementForm(DsfrBaseForm, forms.ModelForm):
    epci_codes = forms.CharField(
        label="EPCI du groupement",
        required=False,
        help_text="SIREN des EPCI (9 chiffres), séparés par des virgules ou des espaces.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    commune_codes = forms.CharField(
        label="Communes ajoutées une à une",
        required=False,
        help_text="Codes INSEE des communes (5 caractères) qui ne sont pas dans un des EPCI ci-dessus.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Groupement
        fields = ["nom", "type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["epci_codes"].initial = ", ".join(self.instance.epcis.values_list("code", flat=True))
            self.fields["commune_codes"].initial = ", ".join(self.instance.communes.values_list("code", flat=True))

    def _resolve(self, field: str, model, label: str):
        codes = _codes(self.cleaned_data[field])
        found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
        if unknown := [code for code in codes if code not in found]:
            raise forms.ValidationError(f"{label} introuvable(s) : {', '.join(unknown)}.")
        return list(found.values())

    def clean_epci_codes(self):
        return self._resolve("epci_codes", Epci, "EPCI")

    def clean_commune_codes(self):
        return self._resolve("commune_codes", Commune, "Commune(s)")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("epci_codes") and not cleaned.get("commune_codes") and not self.errors:
            raise forms.ValidationError("Un groupement contient au moins un EPCI ou une commune.")
        return cleaned

    def save(self, commit=True):
        groupement = super().save(commit=commit)
        if commit:
            groupement.epcis.set(self.cleaned_data["epci_codes"])
            groupement.communes.set(self.cleaned_data["commune_codes"])
        return groupement
