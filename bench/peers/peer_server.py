"""Peer runner for nextbest's benchmarks: runs Surprise, implicit and numpy beside nextbest in the same bench run.

Started once per suite by bench/peers.ts as a child process (`python3 bench/peers/peer_server.py`). It reads one JSON
command per line on stdin and answers one JSON line on stdout, so nextbest and the peer can be timed alternately
(A, B, A, B ...) on the same machine within the same run. Data is exchanged as raw little-endian binary files written
by the TypeScript side (CSR arrays, factor tables), so both sides work on exactly the same split.

Each timed command returns {"wall": seconds, "cpu": seconds of process CPU time (all threads)} measured around the
work alone (no start-up, no file reading). Commands that produce a model can also write its output (factors,
predictions, top-k lists) to a file so nextbest's own evaluator scores both sides.

Not part of the package; see ../shared/peers/README.md for how the peers are built.
"""

import json
import sys
import time

import numpy as np

_data = {}


def _available():
    found = {"numpy": np.__version__}
    try:
        import surprise

        found["surprise"] = surprise.__version__
    except Exception as error:  # noqa: BLE001 - report why, never fail the suite
        found["surprise_error"] = repr(error)
    try:
        import implicit
        import implicit.cpu._als  # noqa: F401 - the compiled part must load

        found["implicit"] = implicit.__version__
    except Exception as error:  # noqa: BLE001
        found["implicit_error"] = repr(error)
    return found


def _timed(work):
    wall0 = time.perf_counter()
    cpu0 = time.process_time()
    result = work()
    return result, time.perf_counter() - wall0, time.process_time() - cpu0


def _csr(name):
    import scipy.sparse as sp

    entry = _data[name]
    return sp.csr_matrix(
        (entry["values"], entry["indices"], entry["indptr"]), shape=(entry["rows"], entry["cols"])
    )


def load_csr(command):
    rows, cols = int(command["rows"]), int(command["cols"])
    entry = {
        "rows": rows,
        "cols": cols,
        "indptr": np.fromfile(command["indptr"], dtype="<i4"),
        "indices": np.fromfile(command["indices"], dtype="<i4"),
        "values": np.fromfile(command["values"], dtype="<f4"),
    }
    if entry["indptr"].shape[0] != rows + 1 or entry["indices"].shape[0] != entry["indptr"][-1]:
        raise ValueError(f"load_csr {command['name']}: arrays do not match rows={rows}")
    entry["csr"] = None
    _data[command["name"]] = entry
    return {"nnz": int(entry["indptr"][-1])}


def _surprise_trainset(path):
    from surprise import Dataset, Reader

    reader = Reader(line_format="user item rating", sep="\t", rating_scale=(1, 5))
    return Dataset.load_from_file(path, reader=reader).build_full_trainset()


def svd_fit(command):
    from surprise import SVD

    key = ("trainset", command["train"])
    if key not in _data:
        _data[key] = _surprise_trainset(command["train"])
    trainset = _data[key]
    params = command.get("params", {})
    algorithm = SVD(**params)
    _, wall, cpu = _timed(lambda: algorithm.fit(trainset))
    out = {"wall": wall, "cpu": cpu}
    if command.get("predict"):
        # Predictions for the test pairs (user index, item index per line), written as float64 in the same order.
        pairs = np.loadtxt(command["predict"], dtype=np.int64, delimiter="\t", ndmin=2)
        predictions = np.array([algorithm.predict(str(u), str(i)).est for u, i in pairs], dtype="<f8")
        predictions.tofile(command["predictOut"])
    return out


def surprise_fit_predict(command):
    # Any Surprise algorithm by class name with its keyword parameters; predictions for the test pairs (raw ids, one
    # "user<TAB>item" per line) written as float64 in the same order: what a Surprise user gets from algorithm.predict.
    import surprise

    key = ("trainset", command["train"])
    if key not in _data:
        _data[key] = _surprise_trainset(command["train"])
    trainset = _data[key]
    algorithm = getattr(surprise, command["algorithm"])(**command.get("params", {}))
    _, wall, cpu = _timed(lambda: algorithm.fit(trainset))
    with open(command["pairs"], encoding="utf8") as handle:
        pairs = [line.rstrip("\n").split("\t") for line in handle if line.strip()]
    np.array([algorithm.predict(u, i).est for u, i in pairs], dtype="<f8").tofile(command["out"])
    return {"wall": wall, "cpu": cpu}


def implicit_fit_recommend(command):
    # An implicit model (als, bpr, cosine) fitted on a loaded CSR; top-N per user with the user's training items
    # filtered, through implicit's own batch recommend; written as users x N int32 item indices (-1 = no item).
    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking
    from implicit.nearest_neighbours import CosineRecommender

    user_items = _csr(command["data"])
    params = dict(command.get("params", {}))
    cg_steps = params.pop("cg_steps", None)
    threads = _threads(command)
    kind = command["kind"]
    if kind == "als":
        model = AlternatingLeastSquares(num_threads=threads, random_state=int(command.get("seed", 0)), **params)
    elif kind == "bpr":
        model = BayesianPersonalizedRanking(num_threads=threads, random_state=int(command.get("seed", 0)), **params)
    elif kind == "cosine":
        model = CosineRecommender(num_threads=threads, **params)
    else:
        raise ValueError(f"unknown implicit kind {kind}")
    if cg_steps is not None:
        model.cg_steps = int(cg_steps)
    with threadpool_limits(limits=1, user_api="blas"):
        _, wall, cpu = _timed(lambda: model.fit(user_items, show_progress=False))
        n = int(command.get("N", 10))
        users = np.arange(user_items.shape[0])
        ids, _scores = model.recommend(users, user_items[users], N=n, filter_already_liked_items=True)
    out = np.full((users.shape[0], n), -1, dtype="<i4")
    out[:, : ids.shape[1]] = ids
    out.tofile(command["out"])
    return {"wall": wall, "cpu": cpu}


def _threads(command):
    return int(command.get("threads", 1))


def als_fit(command):
    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares

    user_items = _csr(command["data"])
    params = dict(command.get("params", {}))
    cg_steps = params.pop("cg_steps", None)
    model = AlternatingLeastSquares(num_threads=_threads(command), random_state=int(command.get("seed", 0)), **params)
    if cg_steps is not None:
        model.cg_steps = int(cg_steps)
    with threadpool_limits(limits=1, user_api="blas"):
        _, wall, cpu = _timed(lambda: model.fit(user_items, show_progress=False))
    if command.get("factorsOut"):
        np.asarray(model.user_factors, dtype="<f4").tofile(command["factorsOut"] + ".users")
        np.asarray(model.item_factors, dtype="<f4").tofile(command["factorsOut"] + ".items")
    return {"wall": wall, "cpu": cpu, "factors": int(model.factors)}


def item_knn_fit(command):
    from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, TFIDFRecommender

    user_items = _csr(command["data"])
    kind = {"cosine": CosineRecommender, "tfidf": TFIDFRecommender, "bm25": BM25Recommender}[command.get("kind", "cosine")]
    model = kind(K=int(command.get("K", 20)), num_threads=_threads(command))
    _, wall, cpu = _timed(lambda: model.fit(user_items, show_progress=False))
    return {"wall": wall, "cpu": cpu, "nnz": int(model.similarity.nnz)}


def _read_table(path, rows, cols):
    table = np.fromfile(path, dtype="<f4")
    if table.shape[0] != rows * cols:
        raise ValueError(f"{path}: {table.shape[0]} floats, expected {rows} x {cols}")
    return table.reshape(rows, cols)


def topk_all(command):
    # Top-k of users x items scores with numpy: one matmul per batch of users, seen items set to -inf, argpartition,
    # then a sort of the k survivors. The usual numpy recipe (what implicit's own batch recommend does on CPU).
    users = _read_table(command["users"], int(command["userRows"]), int(command["cols"]))
    items = _read_table(command["items"], int(command["itemRows"]), int(command["cols"]))
    k = int(command["k"])
    batch = int(command.get("batch", 1000))
    exclude = _csr(command["exclude"]) if command.get("exclude") else None

    def work():
        out = np.empty((users.shape[0], k), dtype=np.int64)
        for start in range(0, users.shape[0], batch):
            scores = users[start : start + batch] @ items.T
            if exclude is not None:
                block = exclude[start : start + batch]
                scores[block.nonzero()] = -np.inf
            top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1)
            out[start : start + batch] = np.take_along_axis(top, order, axis=1)
        return out

    result, wall, cpu = _timed(work)
    if command.get("out"):
        result.astype("<i4").tofile(command["out"])
    return {"wall": wall, "cpu": cpu}


def implicit_evaluate(command):
    # implicit's own evaluator (ranking_metrics_at_k: precision, MAP, nDCG and AUC at K over the test users, training
    # items left out) over an ALS model holding the given factors, so both sides rank from the same numbers.
    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.evaluation import ranking_metrics_at_k

    cols = int(command["cols"])
    model = AlternatingLeastSquares(factors=cols, num_threads=_threads(command))
    model.user_factors = _read_table(command["users"], int(command["userRows"]), cols)
    model.item_factors = _read_table(command["items"], int(command["itemRows"]), cols)
    train = _csr(command["train"])
    test = _csr(command["test"])
    with threadpool_limits(limits=1, user_api="blas"):
        metrics, wall, cpu = _timed(
            lambda: ranking_metrics_at_k(model, train, test, K=int(command["k"]), show_progress=False, num_threads=_threads(command))
        )
    return {"wall": wall, "cpu": cpu, **{name: float(value) for name, value in metrics.items()}}


def matmul(command):
    n = int(command["n"])
    generator = np.random.default_rng(int(command.get("seed", 0)))
    a = generator.standard_normal((n, n))
    b = generator.standard_normal((n, n))
    a @ b  # warm-up (BLAS initialization)
    _, wall, cpu = _timed(lambda: a @ b)
    return {"wall": wall, "cpu": cpu}


COMMANDS = {
    "available": lambda command: _available(),
    "load_csr": load_csr,
    "svd_fit": svd_fit,
    "surprise_fit_predict": surprise_fit_predict,
    "implicit_fit_recommend": implicit_fit_recommend,
    "als_fit": als_fit,
    "item_knn_fit": item_knn_fit,
    "topk_all": topk_all,
    "matmul": matmul,
    "implicit_evaluate": implicit_evaluate,
}


def main():
    # Answers go to the real stdout; anything a peer prints (Surprise's "Estimating biases ...") goes to stderr.
    answers = sys.stdout
    sys.stdout = sys.stderr
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            command = json.loads(line)
            answer = {"ok": True, **COMMANDS[command["cmd"]](command)}
        except Exception as error:  # noqa: BLE001 - every failure goes back to the caller as data
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    # Thread counts come from the environment bench/peers.ts sets before numpy loads (OPENBLAS_NUM_THREADS=1,
    # OMP_NUM_THREADS=1, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset); implicit's num_threads is per command.
    main()
