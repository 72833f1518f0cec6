"""The Wagtail admin's sidebar as a staff member's browser gets it: the menu's links, read from
the JSON the sidebar is drawn from."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup


def sidebar_links(html: str) -> dict[str, list[tuple[str, str]]]:
    """Each menu's (label, address) links, the main menu's under "" and a submenu's (Reports,
    Settings) under its label."""
    props = BeautifulSoup(html, "html.parser").find("script", id="wagtail-sidebar-props")
    menus: dict[str, list[tuple[str, str]]] = {}

    def walk(node, menu: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, menu)
        elif isinstance(node, dict):
            kind, args = node.get("_type", ""), node.get("_args")
            if kind == "wagtail.sidebar.LinkMenuItem":
                menus.setdefault(menu, []).append((args[0]["label"], args[0]["url"]))
            elif kind == "wagtail.sidebar.SubMenuItem":
                walk(args[1], args[0]["label"])
            else:
                for value in node.values():
                    walk(value, menu)

    walk(json.loads(props.string), "")
    return menus
