# The two set-up commands (README): `make run` and `make test`. Both install
# what is missing from Debian's packages first.
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build build-asan run test test-release test-asan bench goldens clean

all: build

deps:
	@sh tools/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

$(BUILD_ASAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DGOSTEP_SANITIZE=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps $(BUILD_ASAN)/CMakeCache.txt
	cmake --build $(BUILD_ASAN) -j $(JOBS)

# The main job: the guided tour of the bundled hello program (keys on a terminal;
# it runs through its pages when stdin or stdout is not one).
run: build
	./$(BUILD)/gostep tour

# The whole suite, in the normal and the sanitizer (ASan + UBSan) builds.
test: test-release test-asan

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

goldens: build
	cmake --build $(BUILD) --target goldens

bench: build
	cmake --build $(BUILD) --target bench_run bench_debug -j $(JOBS)
	./$(BUILD)/bench/bench_run $(BUILD)/asm_fixtures/go
	./$(BUILD)/bench/bench_debug $(BUILD)/asm_fixtures/go/hello

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
