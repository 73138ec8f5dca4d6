.PHONY: run build test bench rules-check generate deps

run:            ## install what is missing, build (release), scan this repository
	bash scripts/run.sh

deps:
	bash scripts/deps.sh --test

build:
	swift build -c release --product fairscan

test:           ## the whole test suite
	bash scripts/test.sh

generate:       ## regenerate the built-in rules from rules/*.yml
	swift run generate-builtin-rules rules Sources/FairScanKit/Rules/BuiltinRules+Generated.swift

rules-check: build
	.build/release/fairscan rules check rules

bench:          ## full-history scan vs git cat-file on a generated repository
	bash Benchmarks/bench.sh
