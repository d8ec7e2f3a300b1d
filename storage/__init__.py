"""Persistence for Coproduce: SQLModel tables, the database handle, repositories, migrations."""
