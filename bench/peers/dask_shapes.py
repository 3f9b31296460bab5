"""The bench's shapes on Dask, timed on request.

Started once per scheduler by bench/peers/dask.ts; reads one JSON request a line on stdin
({"shape": "fan-out" | "chain" | "map" | "nap" | "round-trip", "n": N}) and answers one JSON line
({"seconds": S}). Each request builds its graph with dask.delayed, as a Dask user writes it,
and computes it; the time covers both, like a workgraph run covers calling its tasks.

Arguments: scheduler ("threads", "sync" or "distributed"), worker count and "processes" or
"threads" (distributed only: a LocalCluster with worker processes, or all in this process).
"""

import ctypes
import json
import os
import signal
import sys
import time

import dask
from dask import delayed


def add(x, y):
    return x + y


def total(values):
    return sum(values)


def echo(x):
    return x


NAP_SECONDS = 0.02


def nap(x):
    time.sleep(NAP_SECONDS)
    return x


def fan_out(n):
    return delayed(total)([delayed(add)(i, 1) for i in range(n)])


def chain(n):
    last = delayed(add)(0, 1)
    for _ in range(1, n):
        last = delayed(add)(last, 1)
    return last


PR_SET_PDEATHSIG = 1


def end_with_parent():
    """Ends this process when the bench that started it ends, even mid-computation.

    The bench reads our answers from a pipe; a bench killed (or ended by a closed pipe of its
    own) would otherwise leave this process computing, possibly for minutes, since stdin is
    read only between requests. Linux sends the signal asked for here when the parent ends.
    """
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        sys.exit(1)


def main():
    end_with_parent()
    scheduler, workers, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    client = None
    cluster = None
    if scheduler == "distributed":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=kind == "processes",
            dashboard_address=None,
        )
        client = Client(cluster)

    def compute(graph):
        if client is not None:
            return client.compute(graph).result()
        return dask.compute(graph, scheduler=scheduler)[0]

    def measure(shape, n):
        started = time.perf_counter()
        if shape == "fan-out":
            value = compute(fan_out(n))
            expected = n * (n + 1) // 2
        elif shape == "chain":
            value = compute(chain(n))
            expected = n
        elif shape == "map":
            if client is not None:
                value = len(client.gather(client.map(echo, range(n), pure=False)))
            else:
                value = len(compute([delayed(echo)(i) for i in range(n)]))
            expected = n
        elif shape == "nap":
            if client is not None:
                value = len(client.gather(client.map(nap, range(n), pure=False)))
            else:
                value = len(compute([delayed(nap)(i) for i in range(n)]))
            expected = n
        elif shape == "round-trip":
            for i in range(n):
                if client is not None:
                    client.submit(echo, i, pure=False).result()
                else:
                    compute(delayed(echo)(i))
            value = expected = n
        else:
            raise ValueError(f"unknown shape {shape!r}")
        seconds = time.perf_counter() - started
        if value != expected:
            raise RuntimeError(f"{shape} of {n} gave {value}, expected {expected}")
        return seconds

    print(json.dumps({"ready": dask.__version__}), flush=True)
    try:
        for line in sys.stdin:
            request = json.loads(line)
            print(json.dumps({"seconds": measure(request["shape"], request["n"])}), flush=True)
    finally:
        if client is not None:
            client.close()
            cluster.close()


if __name__ == "__main__":
    main()
