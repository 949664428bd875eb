# netlens: `make run` and `make test` are all a new machine needs (see README.md).
BUILD ?= build
JOBS ?= $(shell nproc)
PORT ?= 8000
# CI (CI=true) treats warnings as errors.
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETLENS_WERROR=$(if $(CI),ON,OFF)

.PHONY: setup configure app build run test test-cpp test-web test-e2e bench clean

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

test: build test-cpp test-web test-e2e

test-cpp:
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

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
