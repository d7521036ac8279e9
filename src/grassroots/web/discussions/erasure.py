"""The discussions side of erasing a person (``people.services.person_erase``).

Threads stay readable: the person's posts keep their text and lose their author, so pages show
them as by "a former supporter"; the threads they opened and the reports they made lose them
too. Others' posts that mentioned them are written again with the mention replaced, so their
name is not left behind as a handle. Their code of conduct acceptance, notification choice,
mentions and suspensions go with the account (cascade).
"""

from __future__ import annotations

import re

from grassroots.web.discussions import markup
from grassroots.web.discussions.models import Post, PostReport, Thread
from grassroots.web.people.models import User

FORMER_HANDLE = "a-former-supporter"


def person_erase_from_discussions(person: User) -> None:
    """Unlink ``person`` from what they wrote and reported, and take their handle out of
    posts that mention them."""
    mentioned = list(
        Post.objects.filter(mentions__person=person).prefetch_related("mentions__person")
    )
    for post in mentioned:
        names = {}
        for mention in post.mentions.all():
            if mention.person_id == person.pk:
                pattern = re.compile(rf"(?<![\w@/.])@{re.escape(mention.handle)}\b", re.IGNORECASE)
                post.body = pattern.sub(f"@{FORMER_HANDLE}", post.body)
            else:
                names[mention.handle] = mention.person.name
        post.body_html = markup.render(post.body, mentions=names)
        post.save(update_fields=["body", "body_html"])
    Post.objects.filter(author=person).update(author=None)
    Thread.objects.filter(author=person).update(author=None)
    PostReport.objects.filter(reporter=person).update(reporter=None)
