#!/usr/bin/env bash
# Vendor axe-core (the accessibility engine the browser tests inject) from the npm registry.
# Usage: scripts/update_axe_core.sh [VERSION]   (default: the latest 4.x)
set -euo pipefail

VERSION="${1:-4}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/closewell/web/tests/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact "axe-core@$VERSION" >/dev/null
INSTALLED="$(node -p 'require("./node_modules/axe-core/package.json").version')"
mkdir -p "$DEST"
cp node_modules/axe-core/axe.min.js "$DEST/axe.min.js"
cp node_modules/axe-core/LICENSE "$DEST/axe-core.LICENSE"
echo "$INSTALLED" > "$DEST/axe-core.VERSION"
echo "axe-core $INSTALLED vendored into $DEST"
