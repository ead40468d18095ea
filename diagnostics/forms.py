from django import forms
from dsfr.forms import DsfrBaseForm

from core.validators import DATE_WIDGET
from diagnostics.models import Agregation, ApportQualitatif, Enjeu, Indicateur, Theme


class ApportForm(DsfrBaseForm, forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label="Thèmes", choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ApportQualitatif
        fields = ["type", "date", "aupres_de", "participants", "resume", "themes"]
        widgets = {"date": DATE_WIDGET, "resume": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class EnjeuForm(DsfrBaseForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enjeu
        fields = ["titre", "description", "theme", "priorite", "indicateurs", "apports", "source"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "indicateurs": forms.CheckboxSelectMultiple,
            "apports": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cls = cls
        self.fields["apports"].queryset = ApportQualitatif.objects.filter(cls=cls)
        # Rates, means and published values: the figures an issue can rest on (not raw counts).
        self.fields["indicateurs"].queryset = Indicateur.objects.exclude(agregation=Agregation.SOMME)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class IndicateurChoiceForm(DsfrBaseForm):
    indicateur = forms.ChoiceField(label="Indicateur représenté sur la carte", required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicateur"].choices = choices
