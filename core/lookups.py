"""``__in`` on an integer column ignores values the database cannot hold, as Django already does for
``exact``, ``gt``, ``lt``… (``IntegerFieldOverflow``): a multiple choice posted with the id
9223372036854775808 is then an invalid choice, not an ``OverflowError`` (SQLite) or a ``DataError``."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
