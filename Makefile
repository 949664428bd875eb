# netlens: `make run` and `make test` are all a new machine needs (see README.md).
BUILD ?= build
JOBS ?= $(shell nproc)
PORT ?= 8000
# CI (CI=true) treats warnings as errors.
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETLENS_WERROR=$(if $(CI),ON,OFF)

.PHONY: setup build run test test-cpp test-web test-e2e clean

setup:
	@scripts/bootstrap.sh

build: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) --log-level=WARNING
	@cmake --build $(BUILD) -j$(JOBS)
	@npm run --silent build:web

run: build
	$(BUILD)/netlens serve --port $(PORT) --open

test: build test-cpp test-web test-e2e

test-cpp:
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-web:
	npm run --silent test:web

test-e2e:
	npm run --silent test:e2e

clean:
	rm -rf $(BUILD)
