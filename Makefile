.PHONY: demo test lint format assets

# Set everything up and serve the app with demo data on SQLite.
demo:
	bin/demo

# Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test:
	bin/test $(ARGS)

lint:
	bin/setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

assets:
	bin/build-assets
