import re

from django import forms
from dsfr.forms import DsfrBaseForm

from contracts.models import Cls
from core.models import User
from steering.models import Membre

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class ContactCoordinationForm(DsfrBaseForm, forms.ModelForm):
    """The public contact of a CLS's coordination: a service's address or phone, never a person's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Cls
        fields = ["contact_coordination"]
        help_texts = {
            "contact_coordination": (
                "Adresse e-mail générique ou téléphone du service de coordination (ex. : cls@ville-exemple.fr, "
                "03 26 00 00 00). Il est publié sur la page publique, l'affiche et les données ouvertes : "
                "n'indiquez pas l'adresse personnelle d'un agent."
            )
        }

    def clean_contact_coordination(self):
        contact = self.cleaned_data["contact_coordination"].strip()
        for address in (match.group(0) for match in EMAIL.finditer(contact)):
            personal = User.objects.filter(email__iexact=address).exists() or (
                Membre.objects.filter(email__iexact=address).exists()
            )
            if personal:
                raise forms.ValidationError(
                    f"« {address} » est l'adresse d'une personne (compte SantéLoc ou membre d'une instance) : "
                    "indiquez l'adresse générique du service de coordination."
                )
        return contact
