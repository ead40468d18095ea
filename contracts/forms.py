import re

from django import forms
from django.db import router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from dsfr.forms import DsfrBaseForm

from contracts.lifecycle import Etat
from contracts.models import Avenant, Axe, Cls, Organisation, Signataire
from core.models import Role, User
from core.validators import DATE_WIDGET
from territories.models import Commune, Departement, Epci, Groupement


def resolve_territory(text: str) -> Commune | Epci | Groupement | None:
    """A commune by INSEE code, an EPCI by SIREN, or a grouping by exact name."""
    text = text.strip()
    if len(text) > Groupement._meta.get_field("nom").max_length:
        return None  # longer than any name: no lookup (a huge LIKE pattern fails on SQLite)
    if re.fullmatch(r"\d{9}", text):
        return Epci.objects.filter(code=text).first()
    if re.fullmatch(r"\d[\dAB]\d{3}", text.upper()):
        return Commune.objects.filter(code=text.upper()).first()
    return Groupement.objects.filter(nom__iexact=text).first()


class ClsForm(DsfrBaseForm, forms.ModelForm):
    porteur = forms.CharField(
        label="Porteur",
        max_length=Groupement._meta.get_field("nom").max_length,
        help_text="Code INSEE de la commune (5 caractères), SIREN de l'EPCI (9 chiffres) ou nom exact du groupement.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Cls
        fields = [
            "nom",
            "departement",
            "generation",
            "predecesseur",
            "structure_coordination",
            "coordinateurs",
            "date_engagement",
            "date_prefiguration",
            "date_elaboration",
            "date_signature",
            "date_debut",
            "date_fin",
            "date_abandon",
            "observations",
        ]
        widgets = {
            name: DATE_WIDGET
            for name in (
                "date_engagement",
                "date_prefiguration",
                "date_elaboration",
                "date_signature",
                "date_debut",
                "date_fin",
                "date_abandon",
            )
        } | {"coordinateurs": forms.CheckboxSelectMultiple, "observations": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinateurs"].queryset = User.objects.filter(role=Role.COORDINATEUR).order_by("last_name")
        departements = Departement.objects.all()
        if not user.is_superuser and user.departement_id:
            departements = departements.filter(pk=user.departement_id)
        elif not user.is_superuser and user.region_id:
            departements = departements.filter(region_id=user.region_id)
        self.fields["departement"].queryset = departements
        predecessors = Cls.objects.filter(departement__in=departements).select_related("departement")
        if self.instance.pk:
            predecessors = predecessors.exclude(pk=self.instance.pk)
            self.fields["porteur"].initial = self._porteur_code(self.instance)
            self.fields["version"].initial = self.instance.version
        self.fields["predecesseur"].queryset = predecessors
        self.fields["structure_coordination"].queryset = Organisation.objects.all()
        if not (user.is_superuser or user.role == Role.ARS):
            # Who coordinates a CLS and which delegation follows it are the ARS's decisions.
            for name in ("departement", "coordinateurs"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Modifiable par l'ARS uniquement."

    @staticmethod
    def _porteur_code(cls: Cls) -> str:
        if cls.porteur_groupement_id:
            return cls.porteur_groupement.nom
        return cls.porteur.code if cls.porteur else ""

    def clean_porteur(self):
        territory = resolve_territory(self.cleaned_data["porteur"])
        if territory is None:
            raise forms.ValidationError(
                "Aucune commune, aucun EPCI ni aucun groupement ne correspond à « %(value)s ».",
                params={"value": self.cleaned_data["porteur"]},
            )
        return territory

    def _update_errors(self, errors):
        # The model names its carrier ``porteur_commune``; the form has a single ``porteur`` field.
        if hasattr(errors, "error_dict") and "porteur_commune" in errors.error_dict:
            moved = errors.error_dict.pop("porteur_commune")
            if "porteur" not in self.errors:
                errors.error_dict["porteur"] = moved
        super()._update_errors(errors)

    def _post_clean(self):
        territory = self.cleaned_data.get("porteur")
        if territory is not None:
            self.instance.porteur_commune = territory if isinstance(territory, Commune) else None
            self.instance.porteur_epci = territory if isinstance(territory, Epci) else None
            self.instance.porteur_groupement = territory if isinstance(territory, Groupement) else None
        super()._post_clean()


class ClsCreateForm(ClsForm):
    perimetre = forms.CharField(
        label="Périmètre initial",
        help_text=(
            "Codes INSEE de communes, SIREN d'EPCI ou noms de groupements, séparés par des virgules ou des "
            "retours à la ligne. Vous pourrez le modifier ensuite."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_perimetre(self):
        items = [item for item in re.split(r"[,;\n]+", self.cleaned_data["perimetre"]) if item.strip()]
        territories, unknown = [], []
        for item in items:
            territory = resolve_territory(item)
            (territories.append(territory) if territory else unknown.append(item.strip()))
        if unknown:
            raise forms.ValidationError(
                "Territoire(s) introuvable(s) : %(items)s. Vérifiez les codes INSEE (5 caractères) et SIREN "
                "(9 chiffres).",
                params={"items": ", ".join(unknown)},
            )
        if not territories:
            raise forms.ValidationError("Le périmètre d'un CLS ne peut pas être vide.")
        return territories


class ClsFilterForm(DsfrBaseForm):
    departement = forms.ModelChoiceField(
        label="Département", queryset=Departement.objects.only("code", "nom"), required=False, empty_label="Tous"
    )
    etat = forms.ChoiceField(label="État aujourd'hui", choices=[("", "Tous")] + Etat.choices, required=False)
    generation = forms.CharField(label="Génération", required=False, max_length=4)
    q = forms.CharField(label="Nom ou porteur contient", required=False, max_length=100)


class TerritorySearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher une commune, un EPCI ou un groupement",
        help_text="Nom ou code (INSEE pour une commune, SIREN pour un EPCI).",
        min_length=2,
        max_length=100,
    )


class SignataireForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Signataire
        fields = ["organisation"]

    def __init__(self, *args, cls: Cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cls = cls
        self.fields["organisation"].queryset = Organisation.objects.exclude(signatures__cls=cls)


class OrganisationForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["nom", "type", "siren"]


class AxeForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Axe
        fields = ["type", "numero", "intitule", "transversal"]


class BaseAxeFormSet(forms.BaseInlineFormSet):
    """The axes of a CLS: two of the same kind never share a number, even when numbers are swapped."""

    def clean(self):
        super().clean()
        in_formset = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        others = Axe.objects.filter(cls=self.instance, numero__isnull=False).exclude(pk__in=in_formset)
        seen = set(others.values_list("type", "numero"))  # axes added meanwhile, not in the posted page
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk:
                    self._check_deletable(form.instance)
                continue
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("numero") is None:
                continue
            key = (data.get("type"), data["numero"])
            if key in seen:
                raise forms.ValidationError(
                    "Deux axes portent le numéro %(numero)s\u202f: donnez-leur des numéros différents.",
                    params={"numero": data["numero"]},
                )
            seen.add(key)

    @staticmethod
    def _check_deletable(axe: Axe) -> None:
        """An axis that still carries fiches actions (protected) is not deleted: a French error, not a 500."""
        try:
            Collector(using=router.db_for_write(Axe)).collect([axe])
        except ProtectedError:
            raise forms.ValidationError(
                "L’axe «\u202f%(axe)s\u202f» porte encore des fiches actions\u202f: "
                "rattachez-les à un autre axe avant de le supprimer.",
                params={"axe": axe},
            ) from None

    @transaction.atomic
    def save(self, commit=True):
        if commit:
            # Free the numbers of the axes renumbered or deleted, so that 1 ↔ 2 saves in any order.
            moved = [
                form.instance.pk
                for form in self.initial_forms
                if {"numero", "type"} & set(form.changed_data) or (self.can_delete and self._should_delete_form(form))
            ]
            Axe.objects.filter(pk__in=moved).update(numero=None)
        return super().save(commit)


class AvenantForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Avenant
        fields = ["date_signature", "objet", "nouvelle_date_fin", "signataires_ajoutes"]
        widgets = {
            "date_signature": DATE_WIDGET,
            "nouvelle_date_fin": DATE_WIDGET,
            "signataires_ajoutes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cls: Cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cls = cls
        self.fields["signataires_ajoutes"].queryset = Organisation.objects.all()
        self.fields["signataires_ajoutes"].required = False
