#!/usr/bin/env bash
# cfn-lint over every template `cdk synth` wrote (the platform stack and each nested stack), as
# the last step of `npm test` and so of `.ci/run`. Fails on errors only. When cfn-lint is not
# installed it says so and passes: it is a Python tool, outside `npm ci`.
# Ignored: W3005 (a DependsOn a Ref/GetAtt already implies): CDK writes both, by design.
# @see https://github.com/aws-cloudformation/cfn-lint#exit-codes
set -uo pipefail
dir="${1:-cdk.out}"
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint is not installed: CloudFormation lint skipped (pip install cfn-lint to run it)"
  exit 0
fi
shopt -s nullglob
templates=("$dir"/*.template.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "cfn-lint: no templates in $dir; run cdk synth first" >&2
  exit 1
fi
cfn-lint --format parseable --ignore-checks W3005 -- "${templates[@]}"
rc=$?
# Exit status is a bit mask: 1 a failure of cfn-lint itself, 2 errors, 4 warnings, 8 informational.
if (( rc & 3 )); then
  echo "cfn-lint: errors in the templates above (exit $rc)" >&2
  exit 1
fi
echo "cfn-lint $(cfn-lint --version | awk '{print $2}'): ${#templates[@]} templates in $dir, no errors"
