import re

from django import forms
from django.db import router
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from dsfr.forms import DsfrBaseForm

from contracts import perms, services
from contracts.lifecycle import Etat
from contracts.models import Avenant, Axe, Cls, Organisation, Signataire
from core.forms import VersionedModelForm
from core.models import Role, User
from core.validators import DATE_WIDGET
from territories.models import Commune, Departement, Epci, Groupement

# The longest name of a territory (``Groupement.nom``): a longer text names nothing, and is not searched for.
TERRITORY_TEXT_MAX_LENGTH = 200


def resolve_territory(text: str) -> Commune | Epci | Groupement | None:
    """A commune by INSEE code, an EPCI by SIREN, or a grouping by exact name."""
    text = text.strip()
    if len(text) > TERRITORY_TEXT_MAX_LENGTH:
        return None
    if re.fullmatch(r"\d{9}", text):
        return Epci.objects.filter(code=text).first()
    if re.fullmatch(r"\d[\dAB]\d{3}", text.upper()):
        return Commune.objects.filter(code=text.upper()).first()
    return Groupement.objects.filter(nom__iexact=text).first()


class ClsForm(VersionedModelForm):
    porteur = forms.CharField(
        label="Porteur",
        max_length=TERRITORY_TEXT_MAX_LENGTH,
        help_text="Code INSEE de la commune (5 caractères), SIREN de l'EPCI (9 chiffres) ou nom exact du groupement.",
    )

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
        self.fields["departement"].queryset = perms.departement_choices(user, self.instance)
        # Naming a predecessor ends it: only a CLS the user may edit (the choice is checked on POST too).
        self.fields["predecesseur"].queryset = perms.predecessor_choices(user, self.instance)
        if self.instance.pk:
            self.fields["porteur"].initial = self._porteur_code(self.instance)
        self.fields["structure_coordination"].queryset = Organisation.objects.all()
        if not perms.can_choose_coordination(user):
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

    def clean(self):
        cleaned = super().clean()
        territory, departement = cleaned.get("porteur"), cleaned.get("departement")
        unchanged = (
            self.instance.pk
            and territory == self.instance.porteur
            and departement is not None
            and departement.pk == self.instance.departement_id
        )
        if territory is not None and departement is not None and not unchanged:
            try:
                services.check_territory_fits(self.instance, territory, what="porter", departement=departement)
            except forms.ValidationError as error:
                self.add_error("porteur", error)
        return cleaned

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
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        departement = cleaned.get("departement")
        if departement is not None and "perimetre" in cleaned:
            for territory in cleaned["perimetre"]:
                try:
                    services.check_territory_fits(self.instance, territory, departement=departement)
                except forms.ValidationError as error:
                    self.add_error("perimetre", error)
        return cleaned

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


class PerimeterAddForm(forms.Form):
    """The « Ajouter » button of a search result: a kind of territory and its id, checked before any query."""

    MODELS = {"commune": Commune, "epci": Epci, "groupement": Groupement}

    type = forms.ChoiceField(choices=[(kind, kind) for kind in MODELS])
    id = forms.IntegerField(min_value=1, max_value=2**63 - 1)

    def __init__(self, *args, cls: Cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.cls = cls

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            raise forms.ValidationError("Choix de territoire invalide.")
        model = self.MODELS[cleaned["type"]]
        territory = model.objects.filter(pk=cleaned["id"]).first()
        if territory is None:
            raise forms.ValidationError("Ce territoire n’existe pas (ou plus).")
        services.check_territory_fits(self.cls, territory)
        cleaned["territory"] = territory
        return cleaned


class SignataireForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Signataire
        fields = ["organisation"]

    def __init__(self, *args, cls: Cls, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cls = cls
        self.fields["organisation"].queryset = Organisation.objects.exclude(signatures__cls=cls)


class OrganisationForm(VersionedModelForm):
    class Meta:
        model = Organisation
        fields = ["nom", "type", "siren"]


class AxeForm(VersionedModelForm):
    class Meta:
        model = Axe
        fields = ["type", "numero", "intitule", "transversal"]

    def has_changed(self):
        """Changed by the person: an axis they left alone is not checked against its version."""
        return any(name != "version" for name in self.changed_data)


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

    def save_axes(self):
        """Hand the posted changes to ``services.save_axes`` with the version each axis was read at."""
        changed, deleted, added = [], [], []
        for form in self.forms:
            if form.instance.pk is None:
                if form.has_changed() and not self._should_delete_form(form):
                    added.append(form.instance)
            elif self._should_delete_form(form):
                deleted.append((form.instance, form.cleaned_data.get("version")))
            elif form.has_changed():
                changed.append((form.instance, form.cleaned_data.get("version")))
        services.save_axes(self.instance, changed=changed, deleted=deleted, added=added)


AxeFormSet = forms.inlineformset_factory(Cls, Axe, form=AxeForm, formset=BaseAxeFormSet, extra=2, can_delete=True)


class AvenantForm(VersionedModelForm):
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
