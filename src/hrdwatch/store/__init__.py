"""Storage: engine, tables, migrations, unit of work, repositories and read-side queries."""
