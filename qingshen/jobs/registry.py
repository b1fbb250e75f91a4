"""Job kinds: a kind is a function (job, progress) -> (file name, file bytes).

`progress(done, total)` records how far the job has got; the job page shows it. A handler
raises JobError with a message for the user (in Chinese) when the job cannot be done; any
other exception is a fault: the user sees that the job failed and its number, the log the trace.
"""


class JobError(Exception):
    """A job that cannot be done, for a reason the user should read."""

_handlers = {}


def register(kind: str):
    def decorator(func):
        _handlers[kind] = func
        return func

    return decorator


def handler_for(kind: str):
    try:
        return _handlers[kind]
    except KeyError:
        raise LookupError(f"未知的任务类型：{kind}") from None
