from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = "Comment importers"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from core.workers import not_run_again_when_lost
        from importers.tasks import import_run, import_run_task_finished

        # An import whose worker was killed is failed by core.workers, which tells this, rather
        # than run again: its page says what was imported and offers "Run it again" (a file
        # that had its worker killed for want of memory would most likely do so again).
        not_run_again_when_lost(import_run)
        task_finished.connect(import_run_task_finished, dispatch_uid="importers-worker-lost")
