#!/usr/bin/env bash
# testmatrix.sh - `make testmatrix`: the acceptance tests, the e2e tests of the
# built provider and the demo's tests once per Terraform
# CLI the provider claims to support. PATH's `terraform` always (unless
# MATRIX_SKIP_PATH_CLI=1, for CI, where `make test` has just run it), and
# Terraform 1.5.7, Terraform 1.15.9 and OpenTofu 1.12.6: the executables
# named in VCITA_MATRIX_CLIS (paths separated by spaces; the repository's
# GitHub workflow installs them with setup-terraform and setup-opentofu),
# else those of ../shared/tools when it exists. A user's clone has neither:
# then only PATH's CLI runs, and the script says so; in CI (CI=true) that
# fails.
#
# Each package is compiled once per run and its test binary reused for every
# CLI. MATRIX_JOBS (default 2) is how many CLIs run at the same time: a CLI's
# run keeps about two thirds of a core busy (the tests wait on CLI processes
# starting), so on two cores the four CLIs took 128 s two at a time and 174 s
# one after another, for the same CPU time and ~120 MB more memory.
# To run another package's tests on every CLI, add it to packages: each run
# has TF_ACC_TERRAFORM_PATH and VCITA_TF_PATH set to the CLI.
# Prints one summary line per CLI and fails if any CLI fails.
set -euo pipefail

SECONDS=0
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=${MATRIX_TOOLS:-$repo/../shared/tools}
shared_clis=(terraform-1.5.7 terraform-1.15.9 tofu-1.12.6)
jobs=${MATRIX_JOBS:-2}
# The packages whose tests run on each CLI.
packages=(./internal/provider ./internal/e2e ./cmd/vcita-demo)

work=$(mktemp -d "${TMPDIR:-/tmp}/vcita-testmatrix.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The tests need no CLI configuration. An empty file keeps the user's own out
# of the runs, and OpenTofu needs one that exists: it prints its warning about
# a missing file on stdout, where the harness reads `tofu version`.
cli_config=$work/empty.tfrc
: >"$cli_config"

say() { printf 'testmatrix: %s\n' "$*"; }

# The CLIs to run, each "LABEL<TAB>PATH"; the label is the first line of
# `version`, for example "OpenTofu v1.12.6".
clis=()
add_cli() { # PATH
	local label
	if [[ ! -x $1 ]]; then
		say "$1 is not an executable Terraform or OpenTofu CLI"; exit 1
	fi
	label=$(TF_CLI_CONFIG_FILE=$cli_config "$1" version)
	label=${label%%$'\n'*}
	clis+=("$label"$'\t'"$1")
}

if [[ ${MATRIX_SKIP_PATH_CLI:-} == 1 ]]; then
	say "skipping PATH's terraform (MATRIX_SKIP_PATH_CLI=1: make test ran it)"
elif command -v terraform >/dev/null 2>&1; then
	add_cli "$(command -v terraform)"
else
	say "no terraform on PATH"; exit 1
fi

if [[ -n ${VCITA_MATRIX_CLIS:-} ]]; then
	read -r -a matrix_clis <<<"$VCITA_MATRIX_CLIS"
	for bin in "${matrix_clis[@]}"; do
		add_cli "$bin"
	done
elif [[ -d $tools ]]; then
	for name in "${shared_clis[@]}"; do
		# cli unpacks once into its cache (~/.cache/vcita-cli) and checks the sum.
		add_cli "$("$tools/cli" "$name")"
	done
elif [[ ${CI:-} == true ]]; then
	say "neither VCITA_MATRIX_CLIS nor $tools is set up: CI must run the whole matrix."
	say "Set VCITA_MATRIX_CLIS to the paths of Terraform 1.5.7, Terraform 1.15.9 and OpenTofu 1.12.6, separated by spaces."
	exit 1
else
	say "no VCITA_MATRIX_CLIS and no $tools (a clone without ../shared): only PATH's terraform is tested"
fi

# CI runs the whole matrix: a path that named no CLI, or another version,
# must not leave one out unnoticed.
if [[ ${CI:-} == true ]]; then
	for want in "Terraform v1.5.7" "Terraform v1.15.9" "OpenTofu v1.12.6"; do
		found=
		for cli in "${clis[@]}"; do
			[[ ${cli%%$'\t'*} == "$want" ]] && found=1
		done
		if [[ -z $found ]]; then
			say "CI must test $want, and the matrix has no such CLI (VCITA_MATRIX_CLIS: ${VCITA_MATRIX_CLIS:-unset})"; exit 1
		fi
	done
fi

if ((${#clis[@]} == 0)); then
	say "nothing to test: PATH's terraform is skipped and there is no other CLI"; exit 0
fi

# suite PACKAGE: run PACKAGE's compiled tests on the CLI of cli_env, in the
# package directory as `go test` does.
suite() {
	(cd "$repo/$1" && env "${cli_env[@]}" \
		"$work/$(basename "$1").test" -test.count=1 -test.timeout=30m -test.v)
}

# run_cli INDEX: every package's tests on one CLI; writes the output to
# $work/INDEX.log and the CLI's summary line to $work/INDEX.result.
run_cli() {
	local label=${clis[$1]%%$'\t'*} bin=${clis[$1]#*$'\t'}
	local log=$work/$1.log start=$SECONDS rc=0 pkg
	# terraform-plugin-testing reads TF_ACC*; VCITA_TF_PATH is for suites
	# that drive the CLI themselves.
	cli_env=(TF_ACC=1 TF_ACC_TERRAFORM_PATH="$bin" VCITA_TF_PATH="$bin" TF_CLI_CONFIG_FILE="$cli_config")
	if [[ $label == OpenTofu* ]]; then
		# Serve the in-process provider at OpenTofu's registry address.
		cli_env+=(TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=vcita)
	fi
	for pkg in "${packages[@]}"; do
		suite "$pkg" >>"$log" 2>&1 || rc=1
	done
	local passed failed verdict=ok
	passed=$(grep -cE '^ *--- PASS' "$log" || true)
	failed=$(grep -cE '^ *--- FAIL' "$log" || true)
	if ((rc != 0)); then verdict=FAILED; fi
	printf '%-6s  %-18s  %3d passed, %d failed  %4ds  %s\n' \
		"$verdict" "$label" "$passed" "$failed" $((SECONDS - start)) "$bin" >"$work/$1.result"
	return "$rc"
}

# Each package's test binary is built once and reused for every CLI.
go test -race -c -o "$work/" "${packages[@]}"

say "${#clis[@]} CLI(s), $jobs at a time"
running=0
for i in "${!clis[@]}"; do
	say "start ${clis[$i]%%$'\t'*}"
	run_cli "$i" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n || true
		running=$((running - 1))
	fi
done
wait || true

status=0
for i in "${!clis[@]}"; do
	if [[ $(cat "$work/$i.result" 2>/dev/null) != ok* ]]; then
		status=1
		printf '\n--- %s: the output without the passing tests\n' "${clis[$i]%%$'\t'*}"
		grep -vE '^ *(=== (RUN|PAUSE)|--- PASS)' "$work/$i.log" || true
	fi
done

printf '\n'
say "summary (${SECONDS}s in all)"
for i in "${!clis[@]}"; do
	cat "$work/$i.result" 2>/dev/null || printf 'FAILED  %s: no result\n' "${clis[$i]%%$'\t'*}"
done
exit "$status"
