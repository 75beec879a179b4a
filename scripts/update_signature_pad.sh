#!/usr/bin/env bash
# Vendor signature_pad into closewell/documents/static/vendor/signature_pad/ from the npm registry.
#
# signature_pad draws a signature with a finger, a stylus or a mouse on a <canvas> and gives it back
# as a PNG; the family signs on the worker's tablet at a home visit. Only the UMD build (no inline
# script needed) and the licence are copied.
# Usage: scripts/update_signature_pad.sh [VERSION]   (default: the latest 5.x)
set -euo pipefail

VERSION="${1:-5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/closewell/documents/static/vendor/signature_pad"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact "signature_pad@$VERSION" >/dev/null
INSTALLED="$(node -p 'require("./node_modules/signature_pad/package.json").version')"
DIST="node_modules/signature_pad/dist"

rm -rf "$DEST"
mkdir -p "$DEST"
cp "$DIST/signature_pad.umd.min.js" "$DEST/signature_pad.umd.min.js"
cp node_modules/signature_pad/LICENSE* "$DEST/" 2>/dev/null || true
# The minified JS ends with a source map comment whose file we do not ship.
sed -i 's|//# sourceMappingURL=.*$||' "$DEST/signature_pad.umd.min.js"
echo "$INSTALLED" > "$DEST/VERSION"
echo "Vendored signature_pad $INSTALLED into $DEST"
