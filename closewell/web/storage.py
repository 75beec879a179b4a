"""Static file storage for production: hashed, compressed, and JS module imports rewritten."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """closewell.js imports govuk-frontend as an ES module; its import must point at the hashed name."""

    support_js_module_import_aggregation = True
