from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        from accounts import sign_in_for
        from discussion import selectors

        # A comment's link leads to its article: the sign-in page says what it opens.
        sign_in_for.register(
            url_name="comment_permalink",
            finder=lambda _request, comment_id: selectors.comment_article(comment_id=comment_id),
        )
