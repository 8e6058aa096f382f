"""The process's BLAS thread pools, for code that multiplies many small matrices.

One BLAS thread does a small product many times faster than several: threads that wait
on each other, on cores the parse, the other workers or the encoder hold, cost
milliseconds a call (a 1,250 x 384 by 384 x 10 product: 0.2 ms on one thread, 8 ms on
two under load).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache

from threadpoolctl import ThreadpoolController


@cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager:
    """Within the block, BLAS runs on the calling thread alone."""
    return _controller().limit(limits=1, user_api="blas")
