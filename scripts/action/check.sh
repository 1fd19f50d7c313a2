#!/usr/bin/env bash
# The action's check step: `plumb check` as SARIF (for code scanning) and as Markdown (for the
# comment and the job summary), then the step outputs. It never fails by itself: the gate step
# does, after SARIF and the comment are published.
#
# INPUT_PATH (default .), INPUT_ARGS (split on spaces), INPUT_SARIF_FILE (default plumb.sarif);
# writes exit-code, findings, sarif-file and markdown-file to $GITHUB_OUTPUT.
set -uo pipefail

dir="${INPUT_PATH:-.}"
sarif="${INPUT_SARIF_FILE:-plumb.sarif}"
markdown="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/plumb-check.md"
read -r -a extra <<<"${INPUT_ARGS:-}"

# A report left by an earlier run must not be published as this run's.
rm -f "$sarif" "$markdown"
plumb check "$dir" "${extra[@]}" --format sarif --output "$sarif"
code=$?
plumb check "$dir" "${extra[@]}" --format markdown --output "$markdown" || true

findings=""
if [ -s "$sarif" ]; then
  findings=$(jq '[.runs[].results[] | select(.suppressions == null)] | length' "$sarif")
else
  sarif=""
fi
[ -s "$markdown" ] || markdown=""
if [ -n "$markdown" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
fi
{
  echo "exit-code=$code"
  echo "findings=$findings"
  echo "sarif-file=$sarif"
  echo "markdown-file=$markdown"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
echo "plumb check: exit $code, ${findings:-no} unwaived findings"
exit 0
