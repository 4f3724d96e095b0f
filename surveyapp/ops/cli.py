"""`flask backup create PATH` and `flask backup restore PATH [--force]`."""
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Back up the database, or restore a backup.")
