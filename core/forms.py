from django import forms
from django.contrib.auth.forms import AuthenticationForm
from dsfr.forms import DsfrBaseForm


class LoginForm(DsfrBaseForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Les deux champs respectent les majuscules.",
        "inactive": "Ce compte est désactivé.",
    }


class VersionedModelForm(DsfrBaseForm, forms.ModelForm):
    """A model form carrying, in a hidden field, the version of the record it was read at.

    For a ``core.models.VersionedModel``: the view hands ``form.read_version`` to a
    service that saves through ``core.concurrency.save_if_current``; a save made from a
    stale page raises ``StaleVersionError``, which the view adds to the form
    (``form.add_error(None, error)``) and shows again with what the person typed.
    A bound form keeps the version it was posted with, so posting it again is refused
    again until the page is reloaded.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    @property
    def read_version(self) -> int:
        """The version the person read; 0 when the post carried none (refused for an existing record)."""
        return self.cleaned_data.get("version") or 0
