PREFIX ?= /usr/local

.PHONY: run build install test format bench bench-cache bench-hook bench-large-file bench-recall bench-peers rules-check rules-eval false-alarms false-alarms-history generate deps

run:            ## install what is missing, build (release), scan this repository
	bash scripts/run.sh

install:        ## release build (Swift runtime linked statically), stripped, to PREFIX (default /usr/local; DESTDIR honoured)
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" bash scripts/install.sh

deps:
	bash scripts/deps.sh --test

build:
	bash scripts/build-release.sh --product fairscan

test:           ## the whole test suite
	bash scripts/test.sh

format:         ## swift-format every Swift file in place (.swift-format; scripts/test.sh checks it)
	bash scripts/format.sh

generate:       ## regenerate the built-in rules from rules/*.yml
	swift run generate-builtin-rules rules Sources/FairScanKit/Rules/BuiltinRules+Decoded.swift

rules-check: build
	.build/release/fairscan rules check rules

rules-eval: build  ## recall and precision per rule family on the labelled corpus (Tests/RuleCorpus)
	.build/release/fairscan rules eval Tests/RuleCorpus

false-alarms: build  ## findings per MiB on real third-party code (the Swift package mirror)
	bash Benchmarks/false-alarms.sh

false-alarms-history: build  ## full-history findings on real repositories: make false-alarms-history REPOS="../curl ../swift-nio"
	bash Benchmarks/false-alarms-history.sh $(REPOS)

bench:          ## full-history scan vs git cat-file on a generated repository
	bash Benchmarks/bench.sh

bench-cache:    ## the scan cache: second scan of an unchanged repository vs the first
	bash Benchmarks/bench-cache.sh

bench-hook:     ## fairscan staged vs git diff --cached on a 10,000-file repository, 20-line change
	bash Benchmarks/bench-hook.sh

bench-large-file: build  ## peak memory of dir on one large file (SIZE_MIB, default 512): flat, read in windows
	bash Benchmarks/bench-large-file.sh .build/release/fairscan

bench-recall: build  ## FAIR credential recall: fairscan beside gitleaks and betterleaks on a planted repository
	python3 Benchmarks/fair_recall.py .build/release/fairscan

bench-peers:    ## issue 12's targets on a clone of a real repository, beside git cat-file, gitleaks and betterleaks: make bench-peers REPO=../curl [REFERENCE_FAIRSCAN=BIN] [FAIRSCAN_BIN=BIN] [RSS_TARGET_MIB=300]
	@test -n "$(REPO)" || { echo "usage: make bench-peers REPO=PATH" >&2; exit 64; }
	python3 Benchmarks/bench_peers.py "$(REPO)"
