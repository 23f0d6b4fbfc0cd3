# The two set-up commands (README): `make run` and `make test`. Both install
# what is missing from Debian's packages first.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
# Executions per fuzz target: empty for CI's short fixed runs (tests/fuzz/run_fuzz.sh),
# e.g. `make fuzz FUZZ_RUNS=10000000` for a long one.
FUZZ_RUNS  ?=
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build build-asan build-fuzz run test test-release test-asan fuzz bench goldens clean

all: build

deps:
	@sh tools/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

$(BUILD_ASAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DGOSTEP_SANITIZE=ON

$(BUILD_FUZZ)/CMakeCache.txt:
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOSTEP_FUZZ=ON \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DGOSTEP_FUZZ_PROGRAM=$(abspath $(BUILD))/asm_fixtures/go/hello

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps $(BUILD_ASAN)/CMakeCache.txt
	cmake --build $(BUILD_ASAN) -j $(JOBS)

# The libFuzzer targets (tests/fuzz/README.md); they load the release build's hello.
build-fuzz: build $(BUILD_FUZZ)/CMakeCache.txt
	cmake -S . -B $(BUILD_FUZZ) -DGOSTEP_FUZZ_RUNS=$(FUZZ_RUNS)
	cmake --build $(BUILD_FUZZ) --target fuzz_all -j $(JOBS)

# The main job: the guided tour of the bundled hello program (keys on a terminal;
# it runs through its pages when stdin or stdout is not one).
run: build
	./$(BUILD)/gostep tour

# The whole suite, in the normal and the sanitizer (ASan + UBSan) builds, then
# each fuzz target for a short fixed run.
test: test-release test-asan fuzz

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# Each fuzz target for FUZZ_RUNS executions (default: CI's short runs), seed 1.
fuzz: build-fuzz
	cd $(BUILD_FUZZ) && ctest --output-on-failure -j $(JOBS)

goldens: build
	cmake --build $(BUILD) --target goldens

bench: build
	cmake --build $(BUILD) --target bench_run bench_debug bench_record -j $(JOBS)
	./$(BUILD)/bench/bench_run $(BUILD)/asm_fixtures/go --reps 1
	./$(BUILD)/bench/bench_debug $(BUILD)/asm_fixtures/go/hello
	./$(BUILD)/bench/bench_record $(BUILD)/asm_fixtures/go/hello

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
