"""@mentions: ``@ada`` (the part of an e-mail address before the @) or
``@ada@example.com`` (the whole address) names a colleague.

A handle that names nobody, or several people, mentions no one.
"""

import re

from django.contrib.auth import get_user_model

#: At most this many people are mentioned by one comment.
MAX_MENTIONS = 20

MENTION_RE = re.compile(
    r"(?<![\w.@])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
)


def mention_handles(text: str) -> list[str]:
    """The handles ``text`` mentions, in order, each once, lower-cased."""
    handles: dict[str, None] = {}
    for match in MENTION_RE.finditer(text or ""):
        handle = match.group(1).rstrip(".").lower()
        if handle:
            handles[handle] = None
    return list(handles)[:MAX_MENTIONS]


def mentioned_people(text: str) -> list:
    """The active people ``text`` mentions (each handle naming exactly one)."""
    User = get_user_model()
    people = []
    for handle in mention_handles(text):
        if "@" in handle:
            found = list(User.objects.filter(is_active=True, email__iexact=handle)[:2])
        else:
            found = list(
                User.objects.filter(is_active=True, email__istartswith=f"{handle}@")[:2]
            )
        if len(found) == 1:
            people.append(found[0])
    return people
