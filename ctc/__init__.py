"""CTC ledger: committees, positions, kommunbidrag and decisions in Beancount."""

import os

os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
"""polars' allocator (jemalloc) keeps freed memory for seconds before it gives it back.

`ctc import` peaks on one big read and works column-wise after it; with the
memory of each step returned at once, the steps after the read stay within
the read's own peak. Set before polars is first imported (it reads this at
load); a value already in the environment wins.
"""
