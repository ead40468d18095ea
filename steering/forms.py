from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from actions.forms import TEXTAREA
from actions.models import Etat, FicheAction
from contracts.models import Organisation
from core.forms import VersionedModelForm
from core.models import User
from core.validators import DATE_WIDGET, BoundedDateField, money_field, value_field
from steering.models import Decision, Instance, Membre, Poursuite, Reunion
from steering.uploads import MAX_SIZE_LABEL


class InstanceForm(VersionedModelForm):
    class Meta:
        model = Instance
        fields = ["type", "nom", "axe", "theme", "organisations", "reunions_par_an"]
        widgets = {"organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cls = cls
        self.fields["axe"].queryset = cls.axes.all()
        self.fields["organisations"].queryset = Organisation.objects.order_by("nom")


class MembreForm(VersionedModelForm):
    class Meta:
        model = Membre
        fields = ["nom", "fonction", "organisation", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("nom")
        self.fields["email"].help_text = "Visible des seules personnes connectées ; jamais publiée."


class ReunionForm(VersionedModelForm):
    M2M = ("presents", "organisations_presentes", "fiches_discutees")

    class Meta:
        model = Reunion
        fields = [
            "instance_gouvernance",
            "date",
            "heure",
            "lieu",
            "ordre_du_jour",
            "presents",
            "organisations_presentes",
            "compte_rendu",
            "fiches_discutees",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "heure": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ordre_du_jour": forms.Textarea(attrs={"rows": 4}),
            "compte_rendu": forms.Textarea(attrs={"rows": 8}),
            "presents": forms.CheckboxSelectMultiple,
            "organisations_presentes": forms.CheckboxSelectMultiple,
            "fiches_discutees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance_gouvernance"].queryset = cls.instances.all()
        self.fields["instance_gouvernance"].error_messages["invalid_choice"] = "Choisissez une instance de ce CLS."
        self.fields["presents"].queryset = (
            self.instance.instance_gouvernance.membres.all()
            if self.instance.instance_gouvernance_id
            else cls.instances.none()
        )
        self.fields["presents"].help_text = "Les membres de l'instance (à ajouter depuis la page de gouvernance)."
        self.fields["organisations_presentes"].queryset = Organisation.objects.order_by("nom")
        self.fields["fiches_discutees"].queryset = FicheAction.objects.filter(cls=cls)
        if not self.instance.pk:
            self.fields.pop("presents")
            self.M2M = ("organisations_presentes", "fiches_discutees")

    def m2m(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.M2M}


class PieceJointeForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Fichier du compte rendu",
        help_text=f"PDF, DOCX ou ODT, {MAX_SIZE_LABEL} au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )


class DecisionForm(VersionedModelForm):
    class Meta:
        model = Decision
        fields = ["texte", "echeance", "suivie_par_organisation", "suivie_par", "faite_le"]
        widgets = {"texte": TEXTAREA, "echeance": DATE_WIDGET, "faite_le": DATE_WIDGET}

    def __init__(self, *args, reunion, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.reunion = reunion
        self.fields["suivie_par_organisation"].queryset = Organisation.objects.order_by("nom")
        self.fields["suivie_par"].queryset = User.objects.filter(is_active=True).order_by("last_name", "username")


class CampagneForm(DsfrBaseForm):
    annee = forms.IntegerField(label="Année revue", min_value=2000, max_value=2100)
    date_limite = BoundedDateField(label="Réponses attendues avant le", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].initial = timezone.localdate().year - 1


class ReponseForm(DsfrBaseForm):
    etat = forms.ChoiceField(label="État de l'action à la fin de l'année", choices=[("", "—"), *Etat.choices])
    realise = forms.CharField(label="Ce qui a été fait dans l'année", widget=forms.Textarea(attrs={"rows": 5}))
    public_atteint = forms.IntegerField(label="Nombre de personnes touchées", min_value=0, required=False)
    depense = money_field(label="Dépenses de l'année (€)", required=False)
    difficultes = forms.CharField(label="Difficultés rencontrées", widget=TEXTAREA, required=False)
    poursuite = forms.ChoiceField(
        label="Suite proposée", choices=Poursuite.choices, widget=forms.RadioSelect, required=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, reponse, **kwargs):
        fiche_etat = reponse.fiche.etat if reponse.fiche else ""
        initial = {
            "etat": reponse.etat or fiche_etat,
            "realise": reponse.realise,
            "public_atteint": reponse.public_atteint,
            "depense": reponse.depense,
            "difficultes": reponse.difficultes,
            "poursuite": reponse.poursuite,
            "version": reponse.version,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.valeurs = list(reponse.valeurs.all())
        for valeur in self.valeurs:
            label = f"Indicateur : {valeur.libelle}" + (f" ({valeur.unite})" if valeur.unite else "")
            self.fields[f"valeur_{valeur.pk}"] = value_field(label=label, required=False, initial=valeur.valeur)
        self.fields["etat"].error_messages["required"] = "Indiquez où en est l'action."
        self.fields["realise"].error_messages["required"] = "Décrivez en quelques lignes ce qui a été fait."
        self.fields["poursuite"].error_messages["required"] = "Indiquez la suite que vous proposez."

    def answer_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = ("etat", "poursuite", "realise", "public_atteint", "depense", "difficultes")
        return {name: data[name] for name in fields} | {
            "read_version": data["version"],
            "valeurs": {valeur.pk: data[f"valeur_{valeur.pk}"] for valeur in self.valeurs},
        }
