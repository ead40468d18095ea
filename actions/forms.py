from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from actions.models import (
    Depense,
    Etape,
    Etat,
    FicheAction,
    Financement,
    FinancementCoordination,
    Indicateur,
    Mesure,
    NoteSuivi,
    Public,
    Theme,
)
from contracts.models import Organisation
from core.uploads import SPREADSHEET_MAX_SIZE, size_label, validate_spreadsheet_upload
from core.validators import DATE_WIDGET, BoundedDateField
from diagnostics.models import Enjeu

TEXTAREA = forms.Textarea(attrs={"rows": 3})


# The texts that public/fields.py publishes: their authors must know it.
PUBLISHED_HELP = (
    "Publié sur la page publique du CLS et dans ses données ouvertes : "
    "ni données personnelles, ni éléments confidentiels."
)


class FicheForm(DsfrBaseForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FicheAction
        fields = [
            "axe",
            "rang",
            "titre",
            "objectif_general",
            "objectifs_specifiques",
            "description",
            "porteur",
            "partenaires",
            "publics",
            "themes",
            "tout_le_perimetre",
            "lieux",
            "objectif_prs",
            "priorite",
            "participation",
            "debut_prevu",
            "fin_prevue",
            "debut_reel",
            "fin_reelle",
            "enjeux",
            "programme",
            "etat",
            "date_ajout",
        ]
        widgets = {
            "objectif_general": TEXTAREA,
            "objectifs_specifiques": TEXTAREA,
            "description": forms.Textarea(attrs={"rows": 5}),
            "objectif_prs": TEXTAREA,
            "publics": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "enjeux": forms.CheckboxSelectMultiple,
        } | {name: DATE_WIDGET for name in ("debut_prevu", "fin_prevue", "debut_reel", "fin_reelle", "date_ajout")}
        help_texts = {name: PUBLISHED_HELP for name in ("titre", "objectif_general", "description")}

    def __init__(self, *args, cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cls = cls
        self.fields["axe"].queryset = cls.axes.all()
        self.fields["rang"].required = False
        self.fields["rang"].help_text = "Laisser vide pour numéroter après la dernière fiche de l'axe."
        self.fields["lieux"].queryset = cls.communes.order_by("nom")
        self.fields["publics"].queryset = Public.objects.all()
        self.fields["themes"].queryset = Theme.objects.all()
        enjeux = self.fields["enjeux"]
        enjeux.queryset = Enjeu.objects.filter(cls=cls).order_by("priorite", "titre")
        enjeux.error_messages["invalid_choice"] = "Cet enjeu n'appartient pas au diagnostic de ce CLS (%(value)s)."
        enjeux.help_text = "Les enjeux du diagnostic de ce CLS auxquels l'action répond."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["date_ajout"].initial = timezone.localdate()

    def m2m(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("partenaires", "publics", "themes", "lieux", "enjeux")}

    def _post_clean(self):
        # The rank is set by the service when left empty: do not validate the model before.
        if self.cleaned_data.get("rang") is None and self.instance.rang is None:
            self.instance.rang = 0
            super()._post_clean()
            self.instance.rang = None
            self._errors.pop("rang", None)
        else:
            super()._post_clean()


class EtatForm(DsfrBaseForm):
    etat = forms.ChoiceField(label="Nouvel état", choices=Etat.choices)
    date = BoundedDateField(label="Date du changement")
    motif = forms.CharField(label="Motif", widget=TEXTAREA, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = NoteSuivi
        fields = ["date", "texte"]
        widgets = {"date": DATE_WIDGET, "texte": TEXTAREA}


class EtapeForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Etape
        fields = ["libelle", "echeance"]
        widgets = {"echeance": DATE_WIDGET}


class FinancementForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Financement
        fields = ["financeur", "annee", "montant", "nature", "stade"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financeur"].queryset = Organisation.objects.all()


class DepenseForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Depense
        fields = ["annee", "montant", "libelle"]


class CoordinationForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = FinancementCoordination
        fields = ["annee", "montant", "stade"]

    def __init__(self, *args, cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cls = cls


class IndicateurForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Indicateur
        fields = ["libelle", "type", "unite", "est_taux", "valeur_initiale", "cible", "date_cible"]
        widgets = {"date_cible": DATE_WIDGET}


class MesureForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Mesure
        fields = ["annee", "periode", "valeur", "numerateur", "denominateur", "source", "commentaire"]
        widgets = {"commentaire": TEXTAREA}

    def __init__(self, *args, indicateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicateur = indicateur
        if indicateur.est_taux:
            del self.fields["valeur"]
        else:
            del self.fields["numerateur"]
            del self.fields["denominateur"]

    def validate_unique(self):
        """A value for a period already measured replaces it (services.record_measure)."""


class PlanFilterForm(DsfrBaseForm):
    SORTS = [
        ("numero", "Numéro"),
        ("titre", "Intitulé"),
        ("porteur", "Porteur"),
        ("etat", "État"),
        ("fin_prevue", "Fin prévue"),
        ("-total_finance", "Financement (décroissant)"),
    ]
    axe = forms.ModelChoiceField(label="Axe", queryset=None, required=False)
    etat = forms.ChoiceField(label="État", choices=[("", "Tous")] + list(Etat.choices), required=False)
    porteur = forms.ModelChoiceField(label="Porteur", queryset=Organisation.objects.none(), required=False)
    financeur = forms.ModelChoiceField(label="Financeur", queryset=Organisation.objects.none(), required=False)
    public = forms.ModelChoiceField(label="Public", queryset=Public.objects.all(), required=False)
    theme = forms.ModelChoiceField(label="Thème", queryset=Theme.objects.all(), required=False)
    enjeu = forms.ModelChoiceField(label="Enjeu du diagnostic", queryset=Enjeu.objects.none(), required=False)
    retard = forms.BooleanField(label="En retard seulement", required=False)
    tri = forms.ChoiceField(label="Trier par", choices=SORTS, required=False)

    def __init__(self, *args, fiches, axes=None, enjeux=None, **kwargs):
        super().__init__(*args, **kwargs)
        if axes is None:
            del self.fields["axe"]
        else:
            self.fields["axe"].queryset = axes
        if enjeux is None:
            del self.fields["enjeu"]
        else:
            self.fields["enjeu"].queryset = enjeux
        self.fields["porteur"].queryset = Organisation.objects.filter(fiches__in=fiches).distinct()
        self.fields["financeur"].queryset = Organisation.objects.filter(financements__fiche__in=fiches).distinct()

    def apply(self, queryset, today):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("axe"):
            queryset = queryset.filter(axe=data["axe"])
        if data["etat"]:
            queryset = queryset.filter(etat=data["etat"])
        if data["porteur"]:
            queryset = queryset.filter(porteur=data["porteur"])
        if data["financeur"]:
            queryset = queryset.filter(pk__in=Financement.objects.filter(financeur=data["financeur"]).values("fiche"))
        if data["public"]:
            queryset = queryset.filter(publics=data["public"])
        if data["theme"]:
            queryset = queryset.filter(themes=data["theme"])
        if data.get("enjeu"):
            queryset = queryset.filter(enjeux=data["enjeu"])
        if data["retard"]:
            queryset = queryset.late(today)
        sort = data["tri"] or "numero"
        orders = {
            "numero": ["cls__nom", "axe__transversal", "axe__numero", "rang"],
            "porteur": ["porteur__nom", "numero"],
        }
        return queryset.order_by(*orders.get(sort, [sort, "numero"]))


class ImportForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Classeur (.xlsx)",
        help_text=f"Le format de l'export ou du modèle vierge, {size_label(SPREADSHEET_MAX_SIZE)} au plus.",
        validators=[validate_spreadsheet_upload],
    )
