from django import forms
from dsfr.forms import DsfrBaseForm

from core.forms import VersionedModelForm
from evaluation.models import Evaluation, EvaluationAction


class EvaluationForm(VersionedModelForm):
    class Meta:
        model = Evaluation
        fields = ["conclusions", "recommandations"]
        widgets = {
            "conclusions": forms.Textarea(attrs={"rows": 6}),
            "recommandations": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "conclusions": "Ce que le contrat a permis, ce qui n'a pas fonctionné, à partir des chiffres ci-dessus.",
            "recommandations": "Ce que le CLS suivant devrait reprendre, changer ou engager.",
        }


class EvaluationActionForm(VersionedModelForm):
    class Meta:
        model = EvaluationAction
        fields = ["atteinte", "commentaire", "a_poursuivre"]
        widgets = {"commentaire": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"atteinte": {"required": "Indiquez dans quelle mesure les objectifs sont atteints."}}


class ConfirmForm(DsfrBaseForm):
    confirmation = forms.BooleanField(
        label="Je confirme la création du CLS suivant",
        error_messages={"required": "Cochez la case pour confirmer la création du CLS suivant."},
    )
