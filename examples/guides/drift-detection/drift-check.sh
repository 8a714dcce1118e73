#!/usr/bin/env bash
# drift-check.sh: exits 0 when vcita matches the configuration, 2 on drift
# (a planned change, or a check block that did not pass, such as an
# unmanaged subscription), 1 when the check itself failed. It prints one
# verdict, the one that is true. Needs VCITA_API_TOKEN (and the state
# backend's credentials) in the environment.
set -uo pipefail
export TF_IN_AUTOMATION=1 TF_INPUT=0

terraform init -input=false -lockfile=readonly || exit 1

rc=0
terraform plan -detailed-exitcode -lock=false -input=false -no-color \
	-out=drift.tfplan >plan.log 2>&1 || rc=$?
if ((rc != 0 && rc != 2)); then
	echo "The drift check failed (terraform plan exited $rc):"
	cat plan.log
	exit 1
fi

# A check block that fails is only a warning, and one whose condition is
# known only after apply is not even that: it checked nothing. The saved
# plan records each check block's status; report any but "pass".
terraform show -json drift.tfplan >drift.json || exit 1
checks=$(grep -oE '"kind":"check"[^}]*},"status":"(fail|error|unknown)"' drift.json |
	sed -E 's/.*"to_display":"([^"]*)".*"status":"([a-z]+)"/\1: \2/')

if ((rc == 0)) && [[ -z $checks ]]; then
	echo "No drift: the webhook subscriptions match the configuration."
	exit 0
fi
if ((rc == 2)); then
	echo "Drift: the webhook subscriptions differ from the configuration."
	terraform show -no-color drift.tfplan
else
	echo "No change is planned, but a check block did not pass."
fi
if [[ -n $checks ]]; then
	echo "A check block did not pass:"
	echo "$checks"
	grep -A 12 'Check block assertion failed' plan.log
fi
exit 2
