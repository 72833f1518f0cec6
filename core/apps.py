from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Broadsheet core"

    def ready(self) -> None:
        from core.checks import redis_answers

        # Not deploy-only: plain `manage.py check` says so too. Tagged caches: Redis holds them.
        checks.register(redis_answers, checks.Tags.caches)
