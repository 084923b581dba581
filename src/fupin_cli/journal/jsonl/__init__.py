"""The journal as a JSON Lines file: the reader, the locked writer, and the private index.

File format (one UTF-8 JSON object per line, each line ending in ``"\\n"``)::

    {"id": "20180703T101502.123456Z-3f9a1c", "op": "done", "task": "T01",
     "unit": "市民政局", "period": "2018-Q3", "date": "2018-07-03",
     "recorded_at": "2018-07-03T18:15:02+08:00", "by": "张三", "note": ""}
    {"id": "...", "op": "void", "target": "20180703T101502.123456Z-3f9a1c",
     "recorded_at": "...", "by": "李四", "note": "录错单位"}

Keys a reader does not know are kept in the file and ignored.  Two lines with
the same ``id`` are one entry: a git union merge of two clones can duplicate
lines (see :func:`~fupin_cli.journal.jsonl.writer.git_attributes_text`).
"""
