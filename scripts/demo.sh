#!/usr/bin/env bash
# demo.sh - `make demo`: the provider's life cycle against a local stub of the
# vcita API. It builds the provider and the stub, runs the configuration in
# examples/demo with the real terraform CLI (dev_overrides, no `terraform
# init`), makes drift behind Terraform's back, repairs it and destroys
# everything. It needs no account and no network beyond loopback, writes
# nothing into the repository, and cleans up after itself whatever happens
# (DEMO_KEEP=1 keeps the temporary directory, with the logs, for debugging).
set -euo pipefail

SECONDS=0
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=
stub_pid=

# Headings in bold only on a terminal; Terraform always runs with -no-color.
if [[ -t 1 && ${TERM:-dumb} != dumb && -z ${NO_COLOR:-} ]]; then
	bold=$'\e[1m' reset=$'\e[0m'
else
	bold= reset=
fi

cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM ERR
	if [[ -n $stub_pid ]]; then
		kill -TERM "$stub_pid" 2>/dev/null
		for _ in {1..50}; do
			kill -0 "$stub_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$stub_pid" 2>/dev/null; then
			kill -KILL "$stub_pid" 2>/dev/null
		fi
		wait "$stub_pid" 2>/dev/null
	fi
	if [[ -n $work && -n ${DEMO_KEEP:-} ]]; then
		echo "demo: kept $work" >&2
	elif [[ -n $work ]]; then
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
# A signal exits with the usual 128+N code, which runs cleanup via EXIT.
trap 'echo; echo "demo: interrupted" >&2; exit 130' INT
trap 'echo "demo: terminated" >&2; exit 143' TERM

work=$(mktemp -d "${TMPDIR:-/tmp}/vcita-demo.XXXXXX")

# Any other failing command still says where it failed.
trap 'echo "demo: FAILED: line $LINENO: $BASH_COMMAND" >&2' ERR

die() {
	echo "demo: FAILED: $*" >&2
	exit 1
}

step_no=0
step() {
	step_no=$((step_no + 1))
	printf '\n%s%d) %s%s\n' "$bold" "$step_no" "$*" "$reset"
}

say() {
	local line
	for line in "$@"; do
		if [[ -n $line ]]; then printf '   %s\n' "$line"; else echo; fi
	done
}

# indent prints its input under the current step.
indent() { sed 's/^/   | /; s/ *$//'; }

# quiet_overrides drops the "Provider development overrides are in effect"
# warning, which every command prints under dev_overrides, plain (-no-color)
# or boxed, and keeps any other warning or error. Should the warning's text
# change, it is printed after all rather than swallowed with what follows.
quiet_overrides() {
	awk '
		function flush() { while (blanks > 0) { print ""; blanks-- } }
		held {
			buf = buf $0 "\n"
			if ((box && $0 ~ /^╵/) || (!box && $0 ~ /releases\.$/)) held = 0
			else if (++n > 20) { printf "%s", buf; held = 0 }
			next
		}
		/^╷/ { pend = $0; next }
		pend != "" && /Provider development overrides are in effect/ {
			held = 1; box = 1; n = 2; buf = pend "\n" $0 "\n"; pend = ""; blanks = 0; next
		}
		pend != "" { flush(); print pend; pend = "" }
		/^Warning: Provider development overrides are in effect/ {
			held = 1; box = 0; n = 1; buf = $0 "\n"; blanks = 0; next
		}
		/^$/ { blanks++; next }
		{ flush(); print }
		END { if (pend != "") print pend; if (held) printf "%s", buf; flush() }
	'
}

# tf NAME ARGS... runs terraform in the working directory with its output in
# $work/NAME.log, and returns terraform's exit code.
tf() {
	local name=$1
	shift
	printf '   $ terraform %s\n' "$*"
	terraform -chdir="$tfdir" "$@" >"$work/$name.log" 2>&1
}

# tf_log NAME prints the log of a terraform run, without the overrides box.
tf_log() { quiet_overrides <"$work/$1.log"; }

# tf_fail NAME REASON shows what terraform said, then fails.
tf_fail() {
	echo "--- terraform said (${1}):" >&2
	tf_log "$1" | tail -n 40 >&2
	die "$2"
}

# summary NAME prints the lines of a terraform run that tell what happened.
summary() {
	tf_log "$1" | grep -E '^(Plan:|No changes\.|Apply complete!|Destroy complete!|  # .* (has been deleted|will be created|will be destroyed|must be replaced))' | indent || true
}

# outputs NAME prints the Outputs section of an apply.
outputs() {
	tf_log "$1" | sed -n '/^Outputs:/,$p' | indent
}

http() { # http METHOD URL
	if command -v curl >/dev/null; then
		curl -fsS --max-time 10 -X "$1" "$2"
	else
		python3 - "$1" "$2" <<-'PY'
			import sys, urllib.request
			req = urllib.request.Request(sys.argv[2], method=sys.argv[1])
			with urllib.request.urlopen(req, timeout=10) as resp:
			    sys.stdout.write(resp.read().decode())
		PY
	fi
}

if command -v python3 >/dev/null; then
	json_tool=python3
elif command -v jq >/dev/null; then
	json_tool=jq
else
	json_tool=
fi

# stub_json prints the subscriptions as the stub holds them.
stub_json() { http GET "$url/_stub/subscriptions"; }

# stub_tsv prints one "id<TAB>entity/event_type<TAB>url" line a subscription.
stub_tsv() {
	case $json_tool in
	python3)
		stub_json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print("%s\t%s/%s\t%s" % (s["id"], s["entity"], s["event_type"], s["url"]))'
		;;
	jq) stub_json | jq -r '.[] | "\(.id)\t\(.entity)/\(.event_type)\t\(.url)"' ;;
	*) return 1 ;;
	esac
}

stub_count() {
	if [[ -n $json_tool ]]; then
		stub_tsv | wc -l | tr -d ' '
	else
		stub_json | { grep -o '"id":' || true; } | wc -l | tr -d ' '
	fi
}

# show_stub prints the subscriptions, one line each, or the raw JSON when
# there is neither python3 nor jq.
show_stub() {
	local tsv
	if [[ -n $json_tool ]]; then
		tsv=$(stub_tsv)
		if [[ -z $tsv ]]; then
			say "(the stub holds no subscriptions)"
		else
			awk -F'\t' '{ printf "   id %-4s %-24s %s\n", $1, $2, $3 }' <<<"$tsv"
		fi
	else
		stub_json | indent
	fi
}

# tf_ids prints one "event<TAB>id" line per entry of the subscription_ids output.
tf_ids() {
	case $json_tool in
	python3)
		terraform -chdir="$tfdir" output -json subscription_ids 2>/dev/null | python3 -c '
import json, sys
for event, sid in sorted(json.load(sys.stdin).items()):
    print("%s\t%s" % (event, sid))'
		;;
	jq)
		terraform -chdir="$tfdir" output -json subscription_ids 2>/dev/null |
			jq -r 'to_entries[] | "\(.key)\t\(.value)"'
		;;
	*)
		# `"client/created" = "2"` lines of the human-readable form.
		terraform -chdir="$tfdir" output -no-color subscription_ids 2>/dev/null |
			awk -F'"' 'NF >= 5 { print $2 "\t" $4 }'
		;;
	esac
}

# ---------------------------------------------------------------------------

command -v terraform >/dev/null || die "terraform is not on PATH"
command -v go >/dev/null || die "go is not on PATH"
command -v curl >/dev/null || command -v python3 >/dev/null || die "neither curl nor python3 is on PATH"

step "Build the provider and the stub"
cd "$repo"
go build -o "$work/bin/terraform-provider-vcita" . || die "go build of the provider failed"
go build -o "$work/bin/vcita-stub" ./cmd/vcita-stub || die "go build of the stub failed"
say "built terraform-provider-vcita and vcita-stub into a temporary directory"

step "Start the vcita API stub on a free loopback port"
# A throwaway token: it is only ever handed to the stub and the provider.
token="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
"$work/bin/vcita-stub" -listen 127.0.0.1:0 -token "$token" -url-file "$work/url" >"$work/stub.log" 2>&1 &
stub_pid=$!
for _ in {1..100}; do
	[[ -s $work/url ]] && break
	kill -0 "$stub_pid" 2>/dev/null || {
		sed 's/^/   | /' "$work/stub.log" >&2
		die "the stub exited before listening"
	}
	sleep 0.1
done
[[ -s $work/url ]] || die "the stub did not write its URL within 10 s"
url=$(<"$work/url")
[[ $url == http://127.0.0.1:* ]] || die "unexpected stub URL '$url'"
say "stub listening on $url (pid $stub_pid)"

# Terraform: the provider from $work/bin, no registry, no init, no state in the repo.
cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "vcita/vcita" = "$work/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export VCITA_API_TOKEN="$token" VCITA_BASE_URL="$url"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
# Settings from the caller's environment that would change the story.
unset VCITA_BUSINESS_ID VCITA_ALLOW_UNKNOWN_EVENTS VCITA_MAX_RETRIES VCITA_REQUEST_TIMEOUT
unset TF_WORKSPACE TF_DATA_DIR TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_destroy TF_CLI_ARGS_output
tfdir="$work/tf"
mkdir -p "$tfdir"
cp examples/demo/*.tf "$tfdir/"

step "terraform apply: create the subscriptions"
tf apply apply -auto-approve -input=false -no-color || tf_fail apply "terraform apply failed"
summary apply
outputs apply
ids=$(tf_ids)
want=$(grep -c . <<<"$ids" || true)
[[ $want -gt 0 ]] || tf_fail apply "the subscription_ids output is empty"
grep -q "^Apply complete! Resources: $want added, 0 changed, 0 destroyed\.$" "$work/apply.log" ||
	tf_fail apply "expected 'Apply complete! Resources: $want added'"
say "" "the stub now lists:"
show_stub
got=$(stub_count)
[[ $got -eq $want ]] || die "the stub holds $got subscriptions after apply, expected $want"

step "terraform plan: nothing to change"
rc=0
tf plan1 plan -detailed-exitcode -input=false -no-color || rc=$?
summary plan1
[[ $rc -eq 0 ]] || tf_fail plan1 "plan right after apply exited $rc, expected 0 (no changes)"
say "exit code 0: no changes"
if [[ -n $json_tool ]]; then
	# Events the API lists under another spelling, which still plan clean.
	stub_lines=$(stub_tsv)
	while IFS=$'\t' read -r event sid; do
		listed=$(awk -F'\t' -v id="$sid" '$1 == id { print $2 }' <<<"$stub_lines")
		if [[ -n $listed && $listed != "$event" ]]; then
			say "$event is listed by the API as $listed: same event, no change"
		fi
	done <<<"$ids"
fi

step "Drift: delete one subscription behind Terraform's back"
victim=client/created
victim_id=$(awk -F'\t' -v e="$victim" '$1 == e { print $2 }' <<<"$ids")
if [[ -z $victim_id ]]; then # examples/demo was edited: take the first one
	IFS=$'\t' read -r victim victim_id <<<"$ids"
fi
http DELETE "$url/_stub/subscriptions/$victim_id" >/dev/null ||
	die "could not delete subscription $victim_id on the stub"
say "DELETE /_stub/subscriptions/$victim_id ($victim)"
got=$(stub_count)
[[ $got -eq $((want - 1)) ]] || die "the stub holds $got subscriptions after the delete, expected $((want - 1))"
rc=0
tf plan2 plan -detailed-exitcode -input=false -no-color || rc=$?
summary plan2
[[ $rc -ne 1 ]] || tf_fail plan2 "terraform plan failed"
[[ $rc -eq 2 ]] || tf_fail plan2 "plan after the delete exited $rc, expected 2 (changes)"
grep -q '^Plan: 1 to add, 0 to change, 0 to destroy\.$' "$work/plan2.log" ||
	tf_fail plan2 "expected 'Plan: 1 to add, 0 to change, 0 to destroy.'"
say "drift detected (exit code 2)"

step "terraform apply again: repair the drift"
tf apply2 apply -auto-approve -input=false -no-color || tf_fail apply2 "terraform apply failed"
summary apply2
grep -q '^Apply complete! Resources: 1 added, 0 changed, 0 destroyed\.$' "$work/apply2.log" ||
	tf_fail apply2 "expected 'Apply complete! Resources: 1 added'"
got=$(stub_count)
[[ $got -eq $want ]] || die "the stub holds $got subscriptions after the repair, expected $want"
new_id=$(tf_ids | awk -F'\t' -v e="$victim" '$1 == e { print $2 }')
[[ -n $new_id && $new_id != "$victim_id" ]] || tf_fail apply2 "$victim was not re-created with a new id"
say "$victim re-created as id $new_id"
rc=0
tf plan3 plan -detailed-exitcode -input=false -no-color || rc=$?
summary plan3
[[ $rc -eq 0 ]] || tf_fail plan3 "plan after the repair exited $rc, expected 0 (no changes)"
say "exit code 0: no changes"

step "terraform destroy: remove everything"
tf destroy destroy -auto-approve -input=false -no-color || tf_fail destroy "terraform destroy failed"
summary destroy
grep -q "^Destroy complete! Resources: $want destroyed\.$" "$work/destroy.log" ||
	tf_fail destroy "expected 'Destroy complete! Resources: $want destroyed.'"
got=$(stub_count)
[[ $got -eq 0 ]] || {
	show_stub
	die "the stub still holds $got subscriptions after destroy"
}
say "the stub holds no subscriptions"

printf '\nDemo finished in %ds\n' "$SECONDS"
