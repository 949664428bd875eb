# netlens: `make run` and `make test` are all a new machine needs (see README.md).
BUILD ?= build
JOBS ?= $(shell nproc)
PORT ?= 8000
# CI (CI=true) treats warnings as errors.
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETLENS_WERROR=$(if $(CI),ON,OFF)

.PHONY: setup configure app build run test test-cpp test-web test-e2e test-fuzz test-soak test-sanitize fuzz fuzz-build bench clean

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

test: build test-cpp test-web test-e2e test-soak test-fuzz

# The soak test (label soak: 50 clients for 60 s) runs alone in test-soak, not beside the others.
test-cpp:
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -LE soak

# Its figures (memory after warm-up and at the end) are printed; the whole log on failure.
test-soak:
	@cd $(BUILD) && { ctest -L soak -V >soak.log 2>&1; status=$$?; \
	  grep -E 'soak: |tests passed' soak.log; [ $$status -eq 0 ] || cat soak.log; exit $$status; }

# The C++ tests built with AddressSanitizer and UndefinedBehaviorSanitizer in their own folder,
# at -O1 with assertions on (Beast's included): quicker to build than -O3, and stricter. All of
# them run (about 25 s) but the soak, which a sanitizer build leaves out (its memory figures
# would say nothing about the server's).
SANITIZE_BUILD := $(BUILD)/sanitize
test-sanitize: setup
	@cmake -S . -B $(SANITIZE_BUILD) $(CMAKE_FLAGS) -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
	  -DNETLENS_SANITIZE=address,undefined --log-level=WARNING
	@cmake --build $(SANITIZE_BUILD) -j$(JOBS) --target netlens_tests
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (fuzz/), built with clang in their own folder. `make fuzz` runs each for
# FUZZ_SECONDS; test-fuzz (part of `make test`) replays the committed seeds and fuzzes 10 s each.
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
fuzz-build: setup
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++-14 -DNETLENS_FUZZ=ON -DBUILD_TESTING=OFF --log-level=WARNING
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_targets

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BUILD)

test-fuzz: fuzz-build
	scripts/fuzz.sh 10 $(FUZZ_BUILD)

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

clean:
	rm -rf $(BUILD)
