import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from careoffer.models import (
    ActiviteMmg,
    AnneeScolaireDispositif,
    Dispositif,
    Etat,
    Jour,
    Structure,
    TypeStructure,
    format_forecast,
)
from careoffer.spreadsheet import parse_forecast, split_codes
from contracts.models import Organisation
from core.cells import CellError, DateOutOfRangeError, parse_amount
from core.limits import YEAR_MAX, YEAR_MIN
from core.uploads import SPREADSHEET_MAX_SIZE, size_label, validate_spreadsheet_upload
from core.validators import DATE_MESSAGE, DATE_WIDGET, BoundedDateField
from territories.models import Commune

DAY_NAMES = {label.lower(): value for value, label in Jour.choices} | {"férié": Jour.FERIE, "fériés": Jour.FERIE}


def format_slots(slots) -> str:
    """« Samedi : 14h00-17h00, 20h00-22h00 » one line per day."""
    by_day = {}
    for jour, debut, fin in sorted(slots):
        by_day.setdefault(jour, []).append(f"{debut:%Hh%M}-{fin:%Hh%M}")
    return "\n".join(f"{Jour(jour).label} : {', '.join(times)}" for jour, times in by_day.items())


def _time(text: str) -> datetime.time:
    match = re.fullmatch(r"(\d{1,2})(?:[h:](\d{2})?)?", text.strip().lower())
    if not match or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise ValidationError(f"Heure illisible « {text.strip()} » (ex. : 14h, 14h30).")
    return datetime.time(int(match[1]), int(match[2] or 0))


def parse_slots(text: str) -> list[tuple[int, datetime.time, datetime.time]]:
    slots = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        day_text, _, times = line.partition(":")
        day = DAY_NAMES.get(day_text.strip().lower())
        if day is None or not times.strip():
            raise ValidationError(
                f"Ligne {number} : écrivez « Jour : 14h-17h, 20h-22h » (jour de la semaine ou « Jours fériés »)."
            )
        for part in times.split(","):
            start, _, end = part.partition("-")
            debut, fin = _time(start), _time(end)
            if fin <= debut:
                raise ValidationError(f"Ligne {number} : le créneau {part.strip()} finit avant de commencer.")
            slots.append((day, debut, fin))
    return slots


class StructureForm(DsfrBaseForm, forms.ModelForm):
    commune_code = forms.CharField(label="Commune d'implantation", help_text="Code INSEE (5 caractères), ex. 51108.")
    territoire = forms.CharField(
        label="Territoire de la CPTS",
        required=False,
        help_text="Codes INSEE des communes couvertes, séparés par des virgules (CPTS seulement).",
    )
    prevision = forms.CharField(
        label="Ouverture prévue",
        required=False,
        help_text="Un jour (JJ/MM/AAAA), un trimestre (« T1 2024 ») ou une année (« 2024 »).",
    )
    horaires = forms.CharField(
        label="Horaires d'ouverture (maison médicale de garde)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une ligne par jour, heure de Paris, ex. « Samedi : 14h-17h, 20h-22h » ; "
        "« Jours fériés : 10h-12h » remplace les horaires du jour quand il est férié.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Structure
        fields = [
            "type",
            "nom",
            "adresse",
            "porteur",
            "date_projet",
            "date_ouverture",
            "date_fermeture",
            "nb_medecins",
            "nb_autres_professionnels",
            "nb_professions_paramedicales",
            "source",
            "observations",
        ]
        widgets = {name: DATE_WIDGET for name in ("date_projet", "date_ouverture", "date_fermeture")} | {
            "observations": forms.Textarea(attrs={"rows": 3})
        }

    field_order = ["type", "nom", "commune_code", "territoire", "adresse", "porteur", "date_projet", "prevision"]

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.departement = departement
        self.fields["porteur"].queryset = Organisation.objects.all()
        instance = self.instance
        if instance.pk:
            self.fields["commune_code"].initial = instance.commune.code
            self.fields["territoire"].initial = ", ".join(sorted(c.code for c in instance.communes.all()))
            self.fields["prevision"].initial = format_forecast(instance.date_prevision, instance.precision_prevision)
            self.fields["horaires"].initial = format_slots(instance.slots())
            self.fields["version"].initial = instance.version

    def clean_commune_code(self):
        code = self.cleaned_data["commune_code"].strip().upper()
        commune = Commune.objects.filter(code=code).first()
        if commune is None:
            raise ValidationError(f"Aucune commune n'a le code INSEE « {code} ».")
        if commune.departement_id != self.departement.pk:
            raise ValidationError(f"{commune} n'est pas dans le département {self.departement}.")
        return commune

    def clean_territoire(self):
        codes = split_codes(self.cleaned_data["territoire"])
        communes = list(Commune.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {c.code for c in communes})
        if unknown:
            raise ValidationError("Codes INSEE inconnus : " + ", ".join(unknown) + ".")
        return communes

    def clean_prevision(self):
        try:
            forecast = parse_forecast(self.cleaned_data["prevision"])
        except DateOutOfRangeError:
            raise ValidationError(DATE_MESSAGE) from None
        except ValueError as error:  # unreadable: out-of-range dates and years are refused above
            message = str(error)
            raise ValidationError(message[:1].upper() + message[1:] + ".") from None
        return forecast

    def clean_horaires(self):
        return parse_slots(self.cleaned_data["horaires"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("territoire") and cleaned.get("type") != TypeStructure.CPTS:
            self.add_error("territoire", "Seule une CPTS couvre un ensemble de communes.")
        if cleaned.get("horaires") and cleaned.get("type") != TypeStructure.MMG:
            self.add_error("horaires", "Les horaires d'ouverture concernent les maisons médicales de garde.")
        return cleaned

    def _post_clean(self):
        self.instance.departement = self.departement
        if isinstance(self.cleaned_data.get("commune_code"), Commune):
            self.instance.commune = self.cleaned_data["commune_code"]
        if self.cleaned_data.get("prevision"):
            self.instance.date_prevision, self.instance.precision_prevision = self.cleaned_data["prevision"]
        super()._post_clean()


class StructureFilterForm(DsfrBaseForm):
    date = BoundedDateField(label="Situation au", required=False, help_text="Aujourd'hui si vide.")
    type = forms.ChoiceField(label="Type", required=False, choices=[("", "Tous les types"), *TypeStructure.choices])
    etat = forms.ChoiceField(label="État", required=False, choices=[("", "Tous les états"), *Etat.choices])


class ImportForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Fichier des structures",
        help_text="CSV (séparateur « ; ») ou XLSX, dans le format de l'export, "
        f"{size_label(SPREADSHEET_MAX_SIZE)} au plus.",
        validators=[validate_spreadsheet_upload],
    )


def _amount(text: str, line: int) -> Decimal:
    """0 to 9 999 999 999,99 €, to the cent (``core.cells.parse_amount``)."""
    try:
        return parse_amount(text)
    except CellError as error:
        raise ValidationError(f"Ligne {line} : {error}") from None


def format_subsidies(subventions) -> str:
    return "\n".join(f"{s.annee} : {s.montant:.2f}".replace(".", ",") for s in subventions)


def parse_subsidies(text: str) -> dict[int, Decimal]:
    """« 2023 : 94 188,23 » one line per year → {2023: Decimal("94188.23")}."""
    amounts = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        year, _, amount = line.partition(":")
        if not re.fullmatch(r"\s*\d{4}\s*", year) or not amount.strip():
            raise ValidationError(f"Ligne {number} : écrivez « 2023 : 94 188,23 ».")
        if int(year) in amounts:
            raise ValidationError(f"Ligne {number} : l'année {int(year)} figure deux fois.")
        if not YEAR_MIN <= int(year) <= YEAR_MAX:
            raise ValidationError(f"Ligne {number}\u202f: année hors de la période acceptée ({YEAR_MIN} à {YEAR_MAX}).")
        amounts[int(year)] = _amount(amount, number)
    return amounts


class DispositifForm(DsfrBaseForm, forms.ModelForm):
    commune_code = forms.CharField(label="Commune", help_text="Code INSEE (5 caractères), ex. 51454.")
    subventions_texte = forms.CharField(
        label="Subventions de l'ARS par année",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une ligne par année civile, ex. « 2023 : 94 188,23 ».",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Dispositif
        fields = [
            "type",
            "libelle_type",
            "nom",
            "ecole",
            "porteur",
            "parrain",
            "date_ouverture",
            "annee_scolaire_ouverture",
            "ouverture_avant",
            "heures_hebdo",
            "capacite",
            "age_min",
            "age_max",
            "budget_annuel",
            "source",
            "observations",
        ]
        widgets = {"date_ouverture": DATE_WIDGET, "observations": forms.Textarea(attrs={"rows": 3})}

    field_order = ["type", "libelle_type", "nom", "commune_code"]

    def __init__(self, *args, departement, funder, **kwargs):
        super().__init__(*args, **kwargs)
        self.departement = departement
        self.fields["porteur"].queryset = Organisation.objects.all()
        self.fields["parrain"].queryset = Organisation.objects.all()
        if funder is not None:
            label = f"Subventions de « {funder} » par année"
            self.fields["subventions_texte"].label = self["subventions_texte"].label = label  # bound field is cached
        if self.instance.pk:
            self.fields["commune_code"].initial = self.instance.commune.code
            subsidies = self.instance.subventions.filter(financeur=funder)
            self.fields["subventions_texte"].initial = format_subsidies(subsidies)
            self.fields["version"].initial = self.instance.version

    clean_commune_code = StructureForm.clean_commune_code

    def clean_subventions_texte(self):
        return parse_subsidies(self.cleaned_data["subventions_texte"])

    def _post_clean(self):
        self.instance.departement = self.departement
        if isinstance(self.cleaned_data.get("commune_code"), Commune):
            self.instance.commune = self.cleaned_data["commune_code"]
        super()._post_clean()


class FrenchDecimalField(forms.DecimalField):
    """Accepts « 38,5 », « 145 000 » and « 145 000 € » as people type them; shows « 38,5 »."""

    def __init__(self, **kwargs):
        kwargs["localize"] = True
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            for junk in ("€", "%", "\u00a0", "\u202f", " "):
                value = value.replace(junk, "")
            value = value.replace(",", ".")
        return super().to_python(value)


class ActiviteForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ActiviteMmg
        fields = ["debut", "fin", "consultations_par_weekend", "part_centre15", "part_urgences", "source"]
        widgets = {"debut": DATE_WIDGET, "fin": DATE_WIDGET}
        field_classes = dict.fromkeys(
            ["consultations_par_weekend", "part_centre15", "part_urgences"], FrenchDecimalField
        )


class AnneeScolaireForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = AnneeScolaireDispositif
        fields = ["annee", "enfants_inscrits", "budget", "source"]
        field_classes = {"budget": FrenchDecimalField}


class _RowsFormSet(forms.BaseInlineFormSet):
    """Rows of a record (an MMG's periods, a unit's school years) edited together on one page."""

    key: str = ""
    duplicate_message: str = ""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            value = form.cleaned_data.get(self.key)
            if value is not None and value in seen:
                form.add_error(self.key, self.duplicate_message)
            seen.add(value)


class _ActiviteFormSet(_RowsFormSet):
    key = "debut"
    duplicate_message = "Une autre période commence à cette date."


class _AnneeFormSet(_RowsFormSet):
    key = "annee"
    duplicate_message = "Cette année scolaire figure déjà plus haut."


ActiviteFormSet = forms.inlineformset_factory(
    Structure, ActiviteMmg, form=ActiviteForm, formset=_ActiviteFormSet, extra=1, can_delete=True
)
AnneeScolaireFormSet = forms.inlineformset_factory(
    Dispositif, AnneeScolaireDispositif, form=AnneeScolaireForm, formset=_AnneeFormSet, extra=1, can_delete=True
)


class VersionForm(forms.Form):
    """The version of the parent record the rows were read at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
