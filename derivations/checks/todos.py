"""The code behind the numeric line of the notes' todos in sections 3.3–3.4 (the claims are
declared in derivations/todos.py): PCA and ZCA whitening of sampled data.
"""
from __future__ import annotations

import numpy as np

from verifier import Evidence


def whitening_on_data(rng) -> Evidence:
    """PCA and ZCA whitening of correlated samples: the whitened sample covariance is I."""
    worst, runs = 0.0, 0
    for n, d in ((200, 3), (1000, 8), (5000, 64)):
        for _ in range(3):
            mix = rng.standard_normal((d, d)) * rng.uniform(0.1, 3.0, d)
            data = rng.standard_normal((n, d)) @ mix.T + rng.standard_normal(d)
            centred = data - data.mean(axis=0)
            cov = centred.T @ centred / n
            lam, U = np.linalg.eigh(cov)
            for W in (np.diag(lam**-0.5) @ U.T, U @ np.diag(lam**-0.5) @ U.T):
                z = centred @ W.T
                err = float(np.abs(z.T @ z / n - np.eye(d)).max())
                worst = max(worst, err)
                runs += 1
                if err > 1e-8:
                    return Evidence(False, f"n={n}, d={d}: whitened covariance off by {err:.2e}", {"n": n, "d": d, "error": err})
    return Evidence(True, f"{runs} whitenings (PCA and ZCA; n×d = 200×3, 1000×8, 5000×64, seeded): "
                           f"whitened sample covariance = I to {worst:.1e} (float64 eigh)")
