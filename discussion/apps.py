from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        from accounts import erasures, renames, sign_in_for
        from core import retention
        from discussion import own_comments, reactions, selectors

        # A comment's link leads to its article: the sign-in page says what it opens.
        sign_in_for.register(
            url_name="comment_permalink",
            finder=lambda _request, comment_id: selectors.comment_article(comment_id=comment_id),
        )
        # A member's new display name is shown on their earlier comments too.
        renames.register("discussion.comments", own_comments.comments_of_member_rename)
        # A deleted account's recommendations stay counted, without where they came from.
        erasures.register(
            "discussion.reaction_networks", reactions.reaction_networks_of_reader_empty
        )
        # Where recommendations came from is cleared after IP_RETENTION_DAYS (core.retention).
        retention.register("discussion.reaction_networks", reactions.reaction_networks_clear)
