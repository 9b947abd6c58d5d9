# graphc: ahead-of-time compiler for .galg graph algorithms.
#
#   make            build graphc and the runtime library (./graphc links to build/bin/graphc)
#   make demo       install missing packages, build, compile and run examples/pagerank.galg
#   make test       install missing packages, build, run every test
#   make check-asan the whole test suite under -fsanitize=address,undefined
#   make bench      benchmarks against hand-written C (see bench/README.md)
#   make bench-gap  the same for GAP's PageRank, double and float baselines
#   make fuzz       run every fuzz harness for FUZZ_SECONDS each
#   make install PREFIX=/usr/local DESTDIR=
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
SAN     ?= 0
DEBUG   ?= 0
GRAPHC_CC ?= gcc
CC      := $(GRAPHC_CC)

BIN     := $(BUILD)/bin
OBJ     := $(BUILD)/obj
GEN     := $(BUILD)/gen

WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O2 $(WARN) -Isrc -I$(GEN) -MMD -MP
LDLIBS  := -lgccjit -lcjson -lm
# libgccjit.h lives in gcc's private include directory on Debian; only the
# code generator includes it.
JITINC  := $(shell gcc -print-file-name=include)

ifeq ($(SAN),fuzz)
# libFuzzer builds (clang): instrument everything, link harnesses with -fsanitize=fuzzer.
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
CFLAGS   += $(SANFLAGS) -DGRAPHC_DEBUG=1 -O1
LDFLAGS  += -fsanitize=address,undefined
else ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
CFLAGS   += $(SANFLAGS) -DGRAPHC_DEBUG=1 -DGRAPHC_SAN_LINK='"-fsanitize=address,undefined"'
LDFLAGS  += $(SANFLAGS)
else ifeq ($(DEBUG),1)
CFLAGS   += -O0 -DGRAPHC_DEBUG=1
endif

LIB_SRCS := $(sort $(wildcard src/common/*.c src/frontend/*.c src/ir/*.c src/opt/*.c src/interp/*.c src/codegen/*.c src/plan/*.c))
RT_SRCS  := $(sort $(wildcard src/runtime/*.c))
GEN_SRCS := $(GEN)/galg.tab.c $(GEN)/galg.lex.c
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o) $(GEN_SRCS:$(GEN)/%.c=$(OBJ)/gen/%.o)
RT_OBJS  := $(RT_SRCS:%.c=$(OBJ)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

GRAPHC  := $(BIN)/graphc
RTLIB   := $(BIN)/libgraphc_rt.a
LIBGC   := $(BUILD)/libgraphc.a

.PHONY: all deps demo test test-only check-asan unit golden e2e guards interp semantics predict plans difftest bench bench-gap bench-examples fuzz fuzz-bins fuzz-regress install clean
all: $(GRAPHC) $(RTLIB) graphc

# ./graphc is the default build's; sanitizer and fuzz builds keep theirs in $(BUILD).
graphc: $(GRAPHC)
	@if [ "$(BUILD)" = build ]; then ln -sf $(GRAPHC) graphc; fi

deps:
	@sh scripts/install-deps.sh

# --- generated scanner and parser -------------------------------------------
$(GEN)/galg.tab.c $(GEN)/galg.tab.h &: grammar/galg.y
	@mkdir -p $(GEN)
	bison -Wall -Werror -d -o $(GEN)/galg.tab.c $<

$(GEN)/galg.lex.c $(GEN)/galg.lex.h &: grammar/galg.l $(GEN)/galg.tab.h
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/galg.lex.h -o $(GEN)/galg.lex.c $<

# Generated code gets fewer warnings: we do not own its style.
$(OBJ)/gen/%.o: $(GEN)/%.c $(GEN)/galg.tab.h $(GEN)/galg.lex.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(WARN),$(CFLAGS)) -Wno-unused-function -c $< -o $@

# --- compiler library and driver ---------------------------------------------
$(OBJ)/src/runtime/%.o: src/runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fopenmp -c $< -o $@

$(OBJ)/src/codegen/%.o: CFLAGS += -I$(JITINC)

$(OBJ)/%.o: %.c | $(GEN)/galg.tab.h $(GEN)/galg.lex.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBGC): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(RTLIB): $(RT_OBJS)
	@mkdir -p $(BIN)
	@rm -f $@
	ar rcs $@ $^

$(GRAPHC): $(OBJ)/src/main.o $(LIBGC) $(RTLIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) $(OBJ)/src/main.o $(LIBGC) $(RTLIB) -o $@ -fopenmp $(LDLIBS)

# --- tests -------------------------------------------------------------------
# Unit tests link both libraries; the runtime's main() sits alone in
# rt_main.o and is not pulled in because each test defines its own.
$(BUILD)/tests/%: tests/unit/%.c $(LIBGC) $(RTLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fopenmp -Itests/unit $(LDFLAGS) $< $(LIBGC) $(RTLIB) -o $@ -lcmocka -fopenmp $(LDLIBS)

TEST_ENV := GRAPHC=$(abspath $(GRAPHC)) BUILD=$(abspath $(BUILD)) SHARED_DATA=$(abspath ../shared/data)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; $(TEST_ENV) ./$$t || fail=1; done; exit $$fail

golden: all
	@$(TEST_ENV) sh tests/golden/run.sh

e2e: all
	@$(TEST_ENV) sh tests/e2e/run.sh

guards: all
	@$(TEST_ENV) sh tests/guards/run.sh

interp: all
	@$(TEST_ENV) sh tests/interp/run.sh

semantics: all
	@$(TEST_ENV) sh tests/semantics/run.sh

# The plans' memory and kernel-count predictions against the programs.
predict: all
	@$(TEST_ENV) sh tests/predict/run.sh

# Plan documents: schema and cross-checks (docs/plan-schema.md), golden plans
# (sh tests/plan/run.sh --update rewrites tests/golden/plans).
plans: all
	@$(TEST_ENV) sh tests/plan/run.sh

test-only: all unit golden e2e guards interp semantics predict plans

# make test: everything, plus a short fuzz of every harness (which also replays
# the seeds and every regression input). check-asan reruns test-only under
# the sanitizers; fuzzing is sanitized already.
TEST_FUZZ_SECONDS ?= 10

test: deps
	@$(MAKE) --no-print-directory test-only
	@$(MAKE) --no-print-directory difftest N=$(TEST_DIFFTEST_N) SEED=1
	@$(TEST_ENV) python3 tests/difftest/run.py --n 40 --seed 2 --profile errors --jobs 2
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

# Differential testing against the interpreter (tests/difftest/README.md):
# N random programs from SEED, at -O0 and -O3, 1-3 threads; then every
# regression case.
N ?= 200
SEED ?= 1
PROFILE ?= default
TEST_DIFFTEST_N ?= 150
difftest: all
	@$(TEST_ENV) python3 tests/difftest/run.py --n $(N) --seed $(SEED) --profile $(PROFILE) --jobs 2
	@$(TEST_ENV) python3 tests/difftest/run.py --regress

check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 test-only

# --- fuzzing (libFuzzer; see tests/fuzz/README.md) ---------------------------
FUZZ_SECONDS ?= 20
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIBGC) $(RTLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fopenmp -fsanitize=fuzzer $< $(LIBGC) $(RTLIB) -o $@ -lm

fuzz-bins: $(FUZZ_BINS)

# Every harness for FUZZ_SECONDS on a scratch copy of its seed corpus.
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz GRAPHC_CC=clang SAN=fuzz fuzz-bins
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Replays every seed and every regression input once (part of make test).
fuzz-regress:
	@$(MAKE) --no-print-directory BUILD=build-fuzz GRAPHC_CC=clang SAN=fuzz fuzz-bins
	@sh tests/fuzz/run.sh build-fuzz 0 $(FUZZ_NAMES)

# --- demo, bench, install ----------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(BUILD)/demo
	./graphc examples/pagerank.galg -o $(BUILD)/demo/pagerank
	@echo "ego-Facebook lists each friendship once, so the demo reads it as undirected:"
	$(BUILD)/demo/pagerank examples/data/facebook_combined.txt --undirected -o $(BUILD)/demo/ranks.tsv --time
	@echo "top ten nodes by PageRank (node, rank):"
	@tail -n +2 $(BUILD)/demo/ranks.tsv | sort -t '	' -k2,2gr -k1,1n | head -n 10

bench: all
	@$(TEST_ENV) sh bench/run.sh

# GAP PageRank (examples/pagerank_gap.galg) against hand-written C, double and float.
bench-gap: all
	@$(TEST_ENV) sh bench/run_gap.sh

# Run time of every example on the largest shared graph and the bench graph.
bench-examples: all
	@$(TEST_ENV) sh bench/examples.sh

install: all
	install -D -m 755 $(GRAPHC) $(DESTDIR)$(PREFIX)/bin/graphc
	install -D -m 644 $(RTLIB) $(DESTDIR)$(PREFIX)/lib/graphc/libgraphc_rt.a
	install -D -m 644 man/graphc.1 $(DESTDIR)$(PREFIX)/share/man/man1/graphc.1
	install -D -m 644 man/galg.7 $(DESTDIR)$(PREFIX)/share/man/man7/galg.7

clean:
	rm -rf build build-asan graphc

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
