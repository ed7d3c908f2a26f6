"""Migration operations that differ per database vendor."""

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """RunSQL with one statement list per vendor; vendors not named do nothing."""

    def __init__(self, forwards: dict[str, list[str]], backwards: dict[str, list[str]]):
        super().__init__(sql=[], reverse_sql=[])
        self.forwards, self.backwards = forwards, backwards

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for statement in self.forwards.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for statement in self.backwards.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    def deconstruct(self):
        return self.__class__.__name__, [], {"forwards": self.forwards, "backwards": self.backwards}
