"""Page URLs (filled in by the web layer)."""

urlpatterns = []
