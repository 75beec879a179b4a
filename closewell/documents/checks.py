"""System checks for printing the family copies."""

from django.core import checks

from . import pdf


@checks.register()
def fonts_installed(app_configs, **kwargs):
    """Warn when the copies' fonts are missing: the copies would still print, but in Typst's own
    fonts, with what families write in other scripts and emoji shown as the replacement character."""
    missing = [str(path) for path in pdf.FONT_DIRS if not path.is_dir()]
    if not missing:
        return []
    return [
        checks.Warning(
            f"The fonts for the Closure Record's copies are missing: {', '.join(missing)}.",
            hint="On Debian or Ubuntu: apt-get install " + " ".join(pdf.FONT_PACKAGES),
            id="documents.W001",
        )
    ]
