"""Forms read off a rendered page, as a browser would submit them: every input, textarea, checked
radio or box and chosen option of each <form method="post">, by name."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
                "textareas": [],
                "texts": [],
            }
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                form["fields"].setdefault(name, "")
                if "checked" in a:
                    form["fields"][name] = a.get("value", "on")
                form.setdefault("choices", {}).setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"][name] = a.get("value") or ""
                if kind in ("text", "search", "email", "tel", "url", "number", "password"):
                    form["texts"].append(name)
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"][name] = ""
            form["textareas"].append(name)
        elif tag == "select" and name:
            self._select, self._first_option = name, None
            form["fields"][name] = ""
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                form["fields"][self._select] = value

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._form is not None and self._textarea:
                # The template puts a newline after <textarea>, which browsers drop.
                value = self._form["fields"][self._textarea]
                self._form["fields"][self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def page_forms(html: str) -> list[dict]:
    """Each form of the page: {"action", "method", "fields": {name: value}, "textareas", "texts",
    "choices"}."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def post_forms(html: str) -> list[dict]:
    return [form for form in page_forms(html) if form["method"] == "post"]


def main_form(html: str) -> dict:
    """The page's main POST form: the one with the most fields (not the sign-out button)."""
    forms = post_forms(html)
    return max(forms, key=lambda form: len(form["fields"]))
