# Tollgate: the two commands a new user needs.
#   make run   - install what is missing, build, and run the main job
#   make test  - install what is missing, build, and run every test
#                (plain build, ASan+UBSan build, fuzz-corpus replay; the
#                store suites also on a throwaway PostgreSQL cluster)
# and the rest:
#   make       - build only (installs nothing)
#   make deps  - install the Debian packages the build and tests need
#   make install [PREFIX=/usr/local] [DESTDIR=] - install the build
JOBS ?= $(shell nproc)
DEB_PACKAGES = build-essential cmake pkg-config clang libclang-rt-14-dev python3 \
  libsqlite3-dev sqlite3 libjansson-dev libfyaml-dev libmicrohttpd-dev \
  libutf8proc-dev libicu-dev libsodium-dev libcmocka-dev libpq-dev postgresql \
  iso-codes python3-jellyfish python3-numpy wrk chromium

.PHONY: all build deps run test test-plain test-asan test-fuzz bench clean install
PREFIX ?= /usr/local
DESTDIR ?=

all: build

deps:
	@bash tools/install-deps.sh $(DEB_PACKAGES)

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build build -j $(JOBS)

install: build
	DESTDIR="$(DESTDIR)" cmake --install build --prefix "$(PREFIX)"

run: deps build
	@bash tools/run-main.sh

test: deps test-plain test-asan test-fuzz
	@echo "make test: all suites passed"

test-plain: deps build
	ctest --test-dir build --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTG_SANITIZE=ON -DTG_INSTALL_LIBS=OFF >/dev/null
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS) -E '^(browser|bench)\.|^unit\.golden$$'

test-fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DTG_FUZZ=ON -DBUILD_TESTING=ON -DTG_INSTALL_LIBS=OFF >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	ctest --test-dir build-fuzz --output-on-failure -j $(JOBS) -R '^fuzz\.'

bench: deps build
	@bash bench/run-all.sh

clean:
	rm -rf build build-asan build-fuzz
