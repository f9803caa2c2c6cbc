"""Form widgets shared by every app."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.html import format_html


class PersonalDataTextarea(forms.Textarea):
    """A text area that says, as one types, what in the text names or reaches someone (``core.personal_data``):
    the form's validator still refuses it on sending; this only tells earlier, in a live region."""

    def __init__(self, attrs=None, *, health: bool = False):
        super().__init__(attrs)
        self.health = health

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = {"champ": name, **({"sante": "1"} if self.health else {})}
        widget_attrs = context["widget"]["attrs"]
        live = self.live_id(name, widget_attrs)
        widget_attrs.update(
            {
                "hx-post": f"{reverse('core:personal_data_check')}?{urlencode(query)}",
                "hx-trigger": "input changed delay:500ms",
                "hx-target": f"#{live}",
                "hx-swap": "innerHTML",
                "aria-describedby": " ".join(filter(None, [widget_attrs.get("aria-describedby"), live])),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """The text area, then its live region (rendered here: the form renderer knows only Django's templates)."""
        html = super().render(name, value, attrs, renderer)
        live = self.live_id(name, self.build_attrs(self.attrs, attrs))
        return html + format_html('<div id="{}" aria-live="polite"></div>', live)

    @staticmethod
    def live_id(name: str, attrs: dict) -> str:
        return f"{attrs.get('id') or name}-donnees-personnelles"
