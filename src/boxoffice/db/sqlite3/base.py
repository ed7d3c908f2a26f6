"""Django's SQLite backend, creating the database file readable by its owner only. SQLite
gives the -wal and -shm files it adds the same permissions as the database file."""

from pathlib import Path

from django.db.backends.sqlite3 import base

from boxoffice.files import create_private_file


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = str(conn_params.get("database", ""))
        if name and name != ":memory:" and not name.startswith("file:"):
            create_private_file(Path(name))
        return super().get_new_connection(conn_params)
