"""Validators shared by every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Unicode's explicit embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069): invisible, they reorder the characters around them, so a
# title or file name can read differently from what it is ("Trojan Source",
# "invoice<RLO>fdp.exe"). The implicit marks (U+200E, U+200F, U+061C) are
# allowed: they only place neutral characters and right-to-left writers type
# them in ordinary text.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@deconstructible(path="horserace.common.validators.NoBidiControls")
class NoBidiControls:
    """Refuses text containing a bidirectional embedding, override or isolate."""

    message = _(
        "Remove the invisible text-direction characters (such as U+202E): "
        "they make text read differently from what it is."
    )
    code = "bidi_control"

    def __call__(self, value):
        found = BIDI_CONTROLS.search(str(value or ""))
        if found:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"character": f"U+{ord(found.group()):04X}"},
            )

    def __eq__(self, other):
        return isinstance(other, NoBidiControls)

    def __hash__(self):
        return hash(NoBidiControls)


no_bidi_controls = NoBidiControls()
