# netlens: `make run` and `make test` are all a new machine needs (see README.md).
BUILD ?= build
JOBS ?= $(shell nproc)
PORT ?= 8000
# CI (CI=true) treats warnings as errors.
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETLENS_WERROR=$(if $(CI),ON,OFF)

.PHONY: setup configure app build run test test-cpp test-web test-e2e test-fuzz test-soak test-sanitize checked-configure fuzz fuzz-build bench static clean

setup:
	@scripts/bootstrap.sh

configure: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) --log-level=WARNING

# The program and its page; `build` adds the tests.
app: configure
	@cmake --build $(BUILD) -j$(JOBS) --target netlens
	@npm run --silent build:web

build: app
	@cmake --build $(BUILD) -j$(JOBS)

run: app
	$(BUILD)/netlens serve --port $(PORT) --open

test: build static test-cpp test-web test-e2e test-soak test-fuzz

# The soak test (label soak: 50 clients for 60 s) runs alone in test-soak, not beside the others.
test-cpp:
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -LE soak

# Its figures (memory after warm-up and at the end) are printed; the whole log on failure.
test-soak:
	@cd $(BUILD) && { ctest -L soak -V >soak.log 2>&1; status=$$?; \
	  grep -E 'soak: |tests passed' soak.log; [ $$status -eq 0 ] || cat soak.log; exit $$status; }

# One checked build, with clang in its own folder: AddressSanitizer and UndefinedBehaviorSanitizer
# at -O1 with assertions on (Beast's included), every library instrumented for libFuzzer. The
# fuzz targets and the sanitized C++ tests share its objects, so CI compiles the sources twice
# (this and the release build), not three times. All the C++ tests run in it (about 25 s) but
# the soak, which it leaves out (memory figures under AddressSanitizer say nothing about the
# server's).
CHECKED_BUILD := $(BUILD)/checked
checked-configure: setup
	@cmake -S . -B $(CHECKED_BUILD) -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DNETLENS_FUZZ=ON --log-level=WARNING

test-sanitize: checked-configure
	@cmake --build $(CHECKED_BUILD) -j$(JOBS) --target netlens_tests
	cd $(CHECKED_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (fuzz/), in the checked build. `make fuzz` runs each for FUZZ_SECONDS;
# test-fuzz (part of `make test`) replays the committed seeds and fuzzes 10 s each.
FUZZ_SECONDS ?= 60
fuzz-build: checked-configure
	@cmake --build $(CHECKED_BUILD) -j$(JOBS) --target fuzz_targets

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_SECONDS) $(CHECKED_BUILD)

test-fuzz: fuzz-build
	scripts/fuzz.sh 10 $(CHECKED_BUILD)

test-web:
	npm run --silent test:web

test-e2e:
	npm run --silent test:e2e

# Side by side with PyTorch (bench/run.py); QUICK=1 for a run of under a minute.
bench:
	@scripts/bootstrap.sh bench
	@cmake -S . -B $(BUILD)/release -DCMAKE_BUILD_TYPE=Release --log-level=WARNING
	@cmake --build $(BUILD)/release -j$(JOBS) --target netlens kernels_bench
	/usr/bin/python3 bench/run.py --netlens $(BUILD)/release/netlens --kernels $(BUILD)/release/bench/kernels_bench \
	  --mnist .cache/mnist --out $(BUILD)/bench $(if $(QUICK),--quick)

# The Playground and Inside with no server (docs/architecture.md "Static build"): the engine
# compiled with Debian's Emscripten into build/wasm, the pages and the worker into build/static,
# which any static file server serves. Emscripten's JS optimiser needs Debian's node modules.
static:
	@NODE_PATH=/usr/share/nodejs emcmake cmake -S src/wasm -B build/wasm --log-level=WARNING >/dev/null
	@NODE_PATH=/usr/share/nodejs cmake --build build/wasm -j$(JOBS)
	@npx vite build --config web/vite.static.config.ts --logLevel warn

clean:
	rm -rf $(BUILD)
