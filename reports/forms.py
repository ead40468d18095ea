from django import forms
from dsfr.forms import DsfrBaseForm

from contracts.models import Cls
from core.validators import DATE_WIDGET


class PointDeSituationForm(DsfrBaseForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Cls
        fields = ["point_de_situation", "point_de_situation_date"]
        widgets = {"point_de_situation": forms.Textarea(attrs={"rows": 6}), "point_de_situation_date": DATE_WIDGET}
        labels = {"point_de_situation": "Où en est le contrat, prochaines étapes"}
        help_texts = {
            "point_de_situation": "Quelques phrases, reprises telles quelles dans le rapport départemental.",
            "point_de_situation_date": "Date à laquelle ce point a été fait.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if data.get("point_de_situation", "").strip() and not data.get("point_de_situation_date"):
            self.add_error("point_de_situation_date", "Indiquez la date de ce point de situation.")
        return data
