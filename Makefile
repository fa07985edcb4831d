.PHONY: demo test lint format assets bench serve api-fuzz

# Set everything up and serve the app with demo data on SQLite.
demo:
	@bin/demo

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

# Time every list, page and export on a million meetings against Django admin; writes
# docs/benchmarks.md. Builds the data first if the database holds fewer meetings.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
bench:
	bin/setup
	DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python manage.py migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python bench/benchmark.py $(ARGS)

# Serve in production with gunicorn and whitenoise (see bin/serve and docs/deployment.md).
serve:
	bin/setup
	bin/serve

# The long schemathesis run against a development server with the demo data: every check,
# every phase, 100 examples per operation (the suite runs a smaller seeded one).
api-fuzz:
	bin/api-fuzz $(ARGS)
