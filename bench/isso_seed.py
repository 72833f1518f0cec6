"""Seed Isso's SQLite database the way the bench seeds Broadsheet (runs in Isso's own venv).

    isso-venv/bin/python bench/isso_seed.py ISSO.CFG

Isso makes its own schema (its ``SQLite3`` class, as on its first start); the comments are then
inserted in one transaction with the columns Isso's ``Comments.add`` fills, including each
commenter's voters Bloom filter. The site is the one Broadsheet holds when its first page is first
measured, 10,000 comments: ``/bench-1k/`` with 1,000 top-level comments (the page of 20 the bench
reads), ``/bench-post/`` with 9, where the bench posts, and 999 more small threads of 9.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus  # noqa: E402  (bench/corpus.py, standard library only)
from isso import config  # noqa: E402
from isso.db import SQLite3  # noqa: E402
from isso.utils import Bloomfilter  # noqa: E402

THREADS = {"/bench-1k/": ("A story with a busy thread", 1000), "/bench-post/": ("Small", 9)}
SMALL_THREADS = {f"/bench-small-{i}/": (f"Small {i}", 9) for i in range(1, 1000)}


def main(cfg_path: str) -> None:
    conf = config.load(config.default_file(), cfg_path)
    path = conf.get("general", "dbpath")
    db = SQLite3(path, conf)
    bodies = corpus.bodies()
    names = corpus.author_names()
    started = time.time() - 86400
    for uri, (title, _count) in THREADS.items():
        db.threads.new(uri, title)
    with sqlite3.connect(path) as con:
        con.executemany(
            "INSERT INTO threads (uri, title) VALUES (?, ?)",
            [(uri, title) for uri, (title, _count) in SMALL_THREADS.items()],
        )
        for uri, (_title, count) in {**THREADS, **SMALL_THREADS}.items():
            tid = con.execute("SELECT id FROM threads WHERE uri = ?", (uri,)).fetchone()[0]
            rows = []
            for i in range(count):
                address = f"10.{i % 200}.{i // 200 % 250}.0"  # Isso keeps addresses anonymised
                rows.append(
                    (
                        tid,
                        None,
                        started + i * 37,
                        None,
                        1,
                        address,
                        bodies[i % len(bodies)],
                        names[(i * 7) % len(names)],
                        None,
                        None,
                        memoryview(Bloomfilter(iterable=[address]).array),
                        0,
                    )
                )
            con.executemany(
                "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text, "
                "author, email, website, voters, notification) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )


if __name__ == "__main__":
    main(sys.argv[1])
