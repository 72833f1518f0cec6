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
