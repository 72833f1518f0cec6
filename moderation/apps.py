from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # discussion owns the registries and never imports moderation; we fill them here.
        from discussion import screening
        from moderation import pipeline, scorers

        scorers.register_defaults()
        for name, step, order in pipeline.STEPS:
            screening.register_step(name, step, order=order)
        screening.register_on_saved("moderation.record", pipeline.record_verdict)
        screening.register_after_saved("moderation.announce_hold", pipeline.announce_hold)
        screening.register_read("moderation.history", pipeline.read_history)
        screening.register_limits("moderation.rate_limits", pipeline.rate_limits)
        # An article closed by age shows that instead of its comment form.
        from discussion import closing

        closing.register("moderation.closed_after", pipeline.page_closed)
        # A reader banned from commenting may not recommend comments either while it lasts.
        from discussion import reaction_checks
        from moderation.selectors import reaction_refusal

        reaction_checks.register("moderation.banned", reaction_refusal)
        # A thread shows "Reported" to the reader who reported a comment (discussion.reported).
        from discussion import reported
        from moderation.selectors import reported_by

        reported.register(reported_by)
        # An appeal on a comment its author deletes is withdrawn, and reports waiting on it are
        # closed; both stay counted (discussion never imports us).
        from discussion import author_removals
        from moderation.services import appeals_withdraw, reports_close

        author_removals.register("moderation.appeals_withdraw", appeals_withdraw)
        author_removals.register("moderation.reports_close", reports_close)
        # Sign-up and email changes refuse addresses at banned domains (accounts' own registry).
        from accounts import signup_checks
        from moderation.rules import email_domain_banned

        signup_checks.register("moderation.banned_email_domain", email_domain_banned)
        # A reader who deletes their account takes the notes of their reports with it.
        from accounts import erasures
        from moderation.services import reports_of_reader_empty

        erasures.register("moderation.report_notes", reports_of_reader_empty)
        # ... and the moderators' notes about them (selectors.reader_record).
        from moderation.services import reader_notes_delete

        erasures.register("moderation.reader_notes", reader_notes_delete)
        # ... and where their comments and reports came from, without waiting for the retention.
        from moderation.kept_addresses import addresses_of_reader_clear

        erasures.register("moderation.addresses", addresses_of_reader_clear)
        # Where comments and reports came from is cleared after IP_RETENTION_DAYS.
        from core import retention
        from moderation.kept_addresses import report_networks_clear, review_addresses_clear

        retention.register("moderation.review_addresses", review_addresses_clear)
        retention.register("moderation.report_networks", report_networks_clear)
        # ... and finds them, and their appeals, in their data download.
        from accounts import data_exports
        from moderation.selectors import reader_moderation_export

        data_exports.register("moderation.reports_and_appeals", reader_moderation_export)
        # The open queues hear of comments held, reported, appealed and decided, through the
        # live events a thread's readers hear new comments by; only moderators may listen.
        from discussion import live
        from moderation import live_queue
        from moderation.admin_views import may_follow_queues

        live.register_feed(
            live_queue.FEED, url_name="moderation_admin:events", allowed=may_follow_queues
        )
        # Compiled rules and scorer thresholds are kept per process until one of them changes.
        from django.db.models.signals import post_delete, post_save

        from moderation.models import ModerationSettings, Rule, ScorerThreshold
        from moderation.rules import page_settings_changed, rules_changed

        post_save.connect(rules_changed, sender=Rule, dispatch_uid="moderation-rules-saved")
        post_delete.connect(rules_changed, sender=Rule, dispatch_uid="moderation-rules-deleted")
        post_save.connect(
            rules_changed, sender=ScorerThreshold, dispatch_uid="moderation-thresholds-saved"
        )
        post_delete.connect(
            rules_changed, sender=ScorerThreshold, dispatch_uid="moderation-thresholds-deleted"
        )
        post_save.connect(
            page_settings_changed,
            sender=ModerationSettings,
            dispatch_uid="moderation-settings-saved",
        )
        post_delete.connect(
            page_settings_changed,
            sender=ModerationSettings,
            dispatch_uid="moderation-settings-deleted",
        )
