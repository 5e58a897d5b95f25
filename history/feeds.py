from django.contrib.syndication.views import Feed


class EventFeed(Feed):
    """Placeholder until the public pages land."""

    title = "events"
    link = "/"

    def items(self):
        return []
