from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = "Comment importers"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from importers.tasks import import_run_task_finished

        # An import whose worker was killed is failed by core.workers, which tells this.
        task_finished.connect(import_run_task_finished, dispatch_uid="importers-worker-lost")
