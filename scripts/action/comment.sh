#!/usr/bin/env bash
# Post the check's Markdown on the pull request, or edit the comment posted before: the
# Markdown starts with `<!-- plumb-check -->`, and the first of the PR's comments that starts
# with it is updated, so a pull request carries one plumb comment however often it is pushed.
#
# GITHUB_TOKEN (pull-requests: write), GITHUB_REPOSITORY, GITHUB_EVENT_PATH (the pull request),
# GITHUB_API_URL (default https://api.github.com), PLUMB_COMMENT_FILE. The token is passed to
# curl on its standard input, never on the command line.
set -euo pipefail

marker='<!-- plumb-check -->'
pr=$(jq -r '.pull_request.number // .issue.number // empty' "$GITHUB_EVENT_PATH")
if [ -z "$pr" ]; then
  echo "plumb: not a pull request: no comment"
  exit 0
fi
if ! head -n 1 "$PLUMB_COMMENT_FILE" | grep -qF "$marker"; then
  echo "::error::$PLUMB_COMMENT_FILE does not start with $marker" >&2
  exit 1
fi
api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jq -Rs '{body: .}' "$PLUMB_COMMENT_FILE" >"$work/body.json"

# curl with GitHub's headers; the token goes through a config on standard input.
gh_api() {
  printf 'header = "Authorization: Bearer %s"\n' "$GITHUB_TOKEN" |
    curl --config - --fail --silent --show-error --retry 3 \
      -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28" \
      -H "User-Agent: plumb-action" "$@"
}

id=""
page=1
while :; do
  gh_api -D "$work/headers" -o "$work/page.json" "$api/issues/$pr/comments?per_page=100&page=$page"
  id=$(jq -r --arg m "$marker" '[.[] | select((.body // "") | startswith($m))][0].id // empty' "$work/page.json")
  if [ -n "$id" ] || ! grep -qi '^link:.*rel="next"' "$work/headers"; then
    break
  fi
  page=$((page + 1))
done

if [ -n "$id" ]; then
  gh_api -X PATCH -H "Content-Type: application/json" --data-binary "@$work/body.json" \
    -o /dev/null "$api/issues/comments/$id"
  echo "plumb: updated comment $id on pull request #$pr"
else
  gh_api -X POST -H "Content-Type: application/json" --data-binary "@$work/body.json" \
    -o "$work/created.json" "$api/issues/$pr/comments"
  echo "plumb: commented on pull request #$pr ($(jq -r '.id' "$work/created.json"))"
fi
