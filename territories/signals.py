"""Signals other apps listen to, so that ``territories`` never imports them."""

from django.dispatch import Signal

# Sent with ``groupement=`` after a grouping's EPCI or communes were saved: the apps whose records
# are built from groupings (the CLS perimeters) recompute them.
groupement_changed = Signal()

# Sent with ``commune_ids=`` after the importer created or changed communes' contours: the apps that
# keep shapes drawn from them (the stored CLS perimeter shapes) forget those shapes.
commune_contours_changed = Signal()
