"""Pages for signatures, copies and the record's PDF (namespace 'documents')."""

app_name = "documents"

urlpatterns: list = []
