#!/usr/bin/env bash
# Vendor GOV.UK Frontend into closewell/web/static/vendor/govuk-frontend/ from the npm registry.
#
# Closewell is a council's service, not GOV.UK: the stylesheet is compiled from govuk-frontend's
# Sass with Arial (no GDS Transport font, no @font-face), and the crown is never shown.
# Usage: scripts/update_govuk_frontend.sh [VERSION]   (default: the latest 6.x)
set -euo pipefail

VERSION="${1:-6}"
SASS_VERSION="1.108.2"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/closewell/web/static/vendor/govuk-frontend"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact \
  "govuk-frontend@$VERSION" "sass@$SASS_VERSION" >/dev/null
INSTALLED="$(node -p 'require("./node_modules/govuk-frontend/package.json").version')"
DIST="node_modules/govuk-frontend/dist/govuk"

# Sass settings (govuk-frontend v6, settings/_typography-font.scss and settings/_assets.scss):
# system Arial instead of GDS Transport, and assets found beside the CSS file.
cat > closewell-govuk.scss <<'SCSS'
@use "govuk-frontend/dist/govuk" with (
  $govuk-font-family: (arial, sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "assets/"
);
SCSS
npx --no-install sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  closewell-govuk.scss govuk-frontend.min.css

if grep -q "GDS Transport" govuk-frontend.min.css; then
  echo "The compiled CSS still names GDS Transport: check the Sass settings." >&2
  exit 1
fi

rm -rf "$DEST"
mkdir -p "$DEST/assets"
cp govuk-frontend.min.css "$DEST/govuk-frontend.min.css"
cp "$DIST/govuk-frontend.min.js" "$DEST/govuk-frontend.min.js"
# Images only (the CSS refers to some of them); never the GDS Transport fonts.
cp -r "$DIST/assets/images" "$DEST/assets/images"
cp node_modules/govuk-frontend/LICENSE.txt "$DEST/LICENSE.txt" 2>/dev/null || true
# The minified JS ends with a source map comment whose file we do not ship.
sed -i 's|//# sourceMappingURL=.*$||' "$DEST/govuk-frontend.min.js"
echo "$INSTALLED" > "$DEST/VERSION"
echo "Vendored govuk-frontend $INSTALLED into $DEST"
