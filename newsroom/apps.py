from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from newsroom import avif, page_addresses, publish_hooks

        avif.speed_set()  # renditions' AVIF encoder, at IMAGE_AVIF_SPEED
        publish_hooks.connect()
        page_addresses.connect()  # a move to an address the site keeps is refused
