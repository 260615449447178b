# The two set-up commands of the README: `make page` builds the seed page, `make test` runs the tests.
# Both install what they need first (scripts/setup.sh is idempotent and quick on a second run).
PY := .venv/bin/python

.PHONY: setup page test bench loadtest profile images docs traces clean

setup:
	@bash scripts/setup.sh

page: setup
	$(PY) -m layout build content.yaml -o output/seed.pdf
	$(PY) -m layout preflight output/seed.pdf > output/seed.preflight.txt && echo "preflight passed: output/seed.preflight.txt"

test: setup
	$(PY) -m pytest

bench: setup
	@$(PY) -c "import typst" 2>/dev/null || $(PY) -m pip install -q 'typst>=0.13'
	$(PY) tools/bench.py  # sections: --only seed,imports,cold,live,preview,edition,scaling; figures in output/bench.json

loadtest: setup
	$(PY) tools/loadtest.py --clients 6 --seconds 60  # POST /build of `broadsheet serve`: latency p50/p99, memory

profile: setup
	@$(PY) -c "import pyinstrument" 2>/dev/null || $(PY) -m pip install -q 'pyinstrument>=4.6'
	$(PY) -m pyinstrument -i 0.0005 -r text -m layout build content.yaml -o output/profile.pdf -q

docs: setup
	$(PY) tools/gen_docs.py  # docs/content.md and the JSON Schemas, after changing layout/model/content.py or the report

traces: setup
	$(PY) tools/traces.py  # rewrite tests/golden/*.trace after an intended layout change; review their diff

images: setup
	$(PY) tools/make_images.py

clean:
	rm -rf output/*.pdf output/*.png
	$(PY) -c "import layout.cache, shutil; shutil.rmtree(layout.cache.cache_root(), ignore_errors=True)"  # the per-user cache; the press profile (layout/finish/data) stays
