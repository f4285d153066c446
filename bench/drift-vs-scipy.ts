/**
 * Drift statistics at scale against scipy: KS and PSI over 1,000,000 reference x 1,000,000
 * current values for 20 features, computed by the platform's domain code and by scipy + numpy
 * (Debian's python3-scipy, run as a child process) on the same bytes, in the same run. Prints
 * both times, their ratio, the largest deviation from scipy, and peak memory of each side.
 * Needs /usr/bin/python3 with scipy; skipped with a message otherwise (never part of npm test).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ks2sampSorted } from '../lambdas/monitoring/domain/ks';
import {
  countInBins,
  DEFAULT_PSI_BINS,
  psiFromCounts,
  quantileEdges,
} from '../lambdas/monitoring/domain/psi';

const N = 1_000_000;
const FEATURES = 20;
const PYTHON = '/usr/bin/python3';

/** xorshift64* and Box-Muller: deterministic normals, no dependency. */
function normals(n: number, seed: bigint, mean: number, sd: number): Float64Array {
  let s = seed;
  const next = () => {
    s ^= s >> 12n;
    s ^= (s << 25n) & 0xffffffffffffffffn;
    s ^= s >> 27n;
    return Number(((s * 2685821657736338717n) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = next() || 1e-300;
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u)) * sd;
    out[i] = mean + r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(2 * Math.PI * v);
  }
  // Rounded to 3 decimals so the samples have ties, as real telemetry does.
  for (let i = 0; i < n; i++) out[i] = Math.round(out[i] * 1000) / 1000;
  return out;
}

const PY = `
import json, resource, sys, time
import numpy as np
from scipy import stats
d, features, bins = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = []
t = 0.0
for f in range(features):
    ref = np.fromfile(f"{d}/ref{f}.f64"); cur = np.fromfile(f"{d}/cur{f}.f64")
    t0 = time.perf_counter()
    ks = stats.ks_2samp(ref, cur)
    cuts = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1))[1:-1])
    rc = np.bincount(np.searchsorted(cuts, ref, side='right'), minlength=len(cuts) + 1)
    cc = np.bincount(np.searchsorted(cuts, cur, side='right'), minlength=len(cuts) + 1)
    def floored(c):
        p = c / c.sum(); nz = p[p > 0].min()
        return np.where(p == 0, nz / 1e6 if nz <= 1e-4 else 1e-4, p)
    r, c = floored(rc), floored(cc)
    psi = float(np.sum((r - c) * np.log(r / c)))
    t += time.perf_counter() - t0
    out.append({"ks": float(ks.statistic), "p": float(ks.pvalue), "psi": psi})
print(json.dumps({"seconds": t, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "features": out}))
`;

export async function driftVsScipy() {
  const name = `drift statistics: KS + PSI, ${N.toLocaleString()} x ${N.toLocaleString()} values x ${FEATURES} features, vs scipy`;
  const probe = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import scipy']) : undefined;
  if (probe?.status !== 0) {
    return {
      name,
      lines: ['skipped: /usr/bin/python3 with scipy not found (apt-get install python3-scipy)'],
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mlops-drift-bench-'));
  try {
    const ours: Array<{ ks: number; p: number; psi: number }> = [];
    let seconds = 0;
    let peakRss = 0;
    for (let f = 0; f < FEATURES; f++) {
      const ref = normals(N, BigInt(1000 + f), 0, 1);
      // Half the features drift a little, so both verdicts and both p-value regimes appear.
      const cur = normals(N, BigInt(5000 + f), f % 2 ? 0.01 * f : 0, 1 + (f % 3) * 0.005);
      writeFileSync(join(dir, `ref${f}.f64`), Buffer.from(ref.buffer));
      writeFileSync(join(dir, `cur${f}.f64`), Buffer.from(cur.buffer));
      const t0 = process.hrtime.bigint();
      // One sort per sample serves both tests: KS walks the sorted samples, PSI bins from them.
      const refSorted = Float64Array.from(ref).sort();
      const curSorted = Float64Array.from(cur).sort();
      const ks = ks2sampSorted(refSorted, curSorted);
      const edges = quantileEdges(refSorted, DEFAULT_PSI_BINS).slice(1, -1);
      const cuts = { cutPoints: edges.filter((e, i) => i === 0 || e !== edges[i - 1]) };
      const psi = psiFromCounts(countInBins(refSorted, cuts, 'reference'), countInBins(curSorted, cuts));
      seconds += Number(process.hrtime.bigint() - t0) / 1e9;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      ours.push({ ks: ks.statistic, p: ks.pValue, psi });
    }
    const py = spawnSync(PYTHON, ['-c', PY, dir, String(FEATURES), String(DEFAULT_PSI_BINS)], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (py.status !== 0) return { name, lines: [`scipy run failed: ${py.stderr.slice(-500)}`] };
    const theirs = JSON.parse(py.stdout) as {
      seconds: number;
      maxrss_mb: number;
      features: Array<{ ks: number; p: number; psi: number }>;
    };
    const dev = { ks: 0, p: 0, psi: 0 };
    theirs.features.forEach((t, i) => {
      dev.ks = Math.max(dev.ks, Math.abs(t.ks - ours[i].ks));
      dev.p = Math.max(dev.p, Math.abs(t.p - ours[i].p) / Math.max(Math.abs(t.p), 1e-300));
      dev.psi = Math.max(dev.psi, Math.abs(t.psi - ours[i].psi));
    });
    return {
      name,
      lines: [
        `baseline  scipy ${theirs.seconds.toFixed(2)} s, peak RSS ${theirs.maxrss_mb.toFixed(0)} MB`,
        `candidate cdk-mlops ${seconds.toFixed(2)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (Node, incl. data)`,
        `ratio scipy/cdk-mlops time: ${(theirs.seconds / seconds).toFixed(2)}x (target >= 2x)`,
        `largest deviation: KS statistic ${dev.ks.toExponential(2)} abs, p-value ${dev.p.toExponential(2)} rel, PSI ${dev.psi.toExponential(2)} abs`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
