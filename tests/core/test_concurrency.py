import pytest

from contracts.models import Cls
from core.concurrency import StaleVersionError, save_if_current


def test_save_bumps_the_version(demo):
    cls = Cls.objects.get(pk=demo["vitry"].pk)
    cls.observations = "Première modification"
    save_if_current(cls, read_version=1)
    assert Cls.objects.get(pk=cls.pk).version == 2


def test_second_writer_with_an_old_copy_is_refused(demo):
    first = Cls.objects.get(pk=demo["vitry"].pk)
    second = Cls.objects.get(pk=demo["vitry"].pk)
    first.observations = "Écrit en premier"
    save_if_current(first, read_version=first.version)
    second.observations = "Écrit en second, à partir d'une copie périmée"
    with pytest.raises(StaleVersionError, match="modifiée par quelqu'un d'autre"):
        save_if_current(second, read_version=second.version)
    assert Cls.objects.get(pk=first.pk).observations == "Écrit en premier"
