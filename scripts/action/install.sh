#!/usr/bin/env bash
# Put `plumb` on PATH for the action: keep one that is already there (a self-hosted runner, a
# container job, an earlier step), else download the release archive for this runner
# (`plumb-<arch>-unknown-linux-gnu.tar.gz`, holding the `plumb` binary) from the action's
# repository. PLUMB_VERSION: `latest` or a tag; PLUMB_REPOSITORY: owner/name of the action.
set -euo pipefail

if command -v plumb >/dev/null 2>&1; then
  echo "plumb: using $(command -v plumb) ($(plumb --version))"
  exit 0
fi
repo="${PLUMB_REPOSITORY:-}"
version="${PLUMB_VERSION:-latest}"
if [ -z "$repo" ]; then
  echo "::error::plumb is not on PATH and the action's repository is unknown (a local action): install plumb in an earlier step" >&2
  exit 1
fi
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) echo "::error::no plumb release for $(uname -m)" >&2; exit 1 ;;
esac
asset="plumb-${arch}-unknown-linux-gnu.tar.gz"
if [ "$version" = latest ]; then
  url="https://github.com/${repo}/releases/latest/download/${asset}"
else
  url="https://github.com/${repo}/releases/download/${version}/${asset}"
fi
dest="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/plumb/${version}"
mkdir -p "$dest"
curl --fail --silent --show-error --location --retry 3 "$url" | tar -xz -C "$dest" plumb
chmod +x "$dest/plumb"
echo "$dest" >>"${GITHUB_PATH:-/dev/null}"
echo "plumb: installed $("$dest/plumb" --version) from $url"
