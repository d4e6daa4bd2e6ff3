#!/usr/bin/env bash
# Reproduce the vendored front-end assets under src/cxgap/web/static/vendor/.
# Nothing is loaded from a CDN at run time: the files ship inside the package.
#
# Usage: scripts/vendor-assets.sh [htmx-version-or-range]   (default: 2, the latest 2.x)
set -euo pipefail

HTMX_SPEC="${1:-2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/cxgap/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
TARBALL="$(npm pack --silent "htmx.org@$HTMX_SPEC" | tail -n 1)"
tar -xzf "$TARBALL"
VERSION="$(node -p "require('./package/package.json').version")"
LICENSE="$(node -p "require('./package/package.json').license")"

mkdir -p "$DEST"
cp package/dist/htmx.min.js "$DEST/htmx.min.js"
SHA256="$(sha256sum "$DEST/htmx.min.js" | cut -d ' ' -f 1)"

echo "htmx.org $VERSION ($LICENSE) -> $DEST/htmx.min.js"
echo "sha256 $SHA256"
