"""The path a request names within the site, for the ASGI layers in front of Django.

A site served under a path prefix (docs/deploy.md, "Under a path prefix") gets requests whose
ASGI ``path`` still starts with the prefix, which the server names as ``root_path`` (Granian's
``--url-path-prefix``, as the ASGI specification has it). Django is given the path without it
(asgiref puts ``root_path`` in SCRIPT_NAME and takes it off PATH_INFO); the layers in front
(``/healthz``, the live streams, the page cache) match on the same path, taken off the same way.
"""

from __future__ import annotations

from typing import Any


def site_path(scope: dict[str, Any]) -> str:
    """``scope``'s path without its ``root_path``, as asgiref gives Django its PATH_INFO."""
    path = scope.get("path", "")
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :]
    return path
