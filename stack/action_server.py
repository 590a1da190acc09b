"""`python -m stack.action_server --actions nlu.actions --port 5055`: rasa_sdk's action server in one process.

`python -m rasa_sdk` serves through Sanic's worker manager: a main process, a worker with the same app,
and two helper processes, about 215 MB together on this machine. Here the same app (rasa_sdk's own
`create_app_for_serve`: routes, actions, tracing listener, plugins) is served by Sanic in a single process
(BENCHMARKS.md). Arguments are rasa_sdk's; the address comes from `SANIC_HOST` as in rasa_sdk, loopback when
it is not set.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app_for_serve, create_argument_parser
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from stack.heap import freeze_long_lived


def main(argv: Sequence[str] | None = None) -> None:
    args = create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    package = args.actions_module or args.actions
    executor.register_package(package)
    warm_up = getattr(importlib.import_module(package), "warm_up", None)
    if callable(warm_up):  # what every call reads, loaded before the first and then frozen
        warm_up()
    app = create_app_for_serve(executor, cors_origins=args.cors, endpoints=args.endpoints)
    freeze_long_lived("action server")
    app.prepare(host=os.environ.get("SANIC_HOST", "127.0.0.1"), port=args.port, single_process=True)
    Sanic.serve_single(primary=app)


if __name__ == "__main__":
    main()
