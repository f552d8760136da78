import sys, struct
import numpy as np
raw = open(sys.argv[1], 'rb').read()
T, blocks, nb, KB = struct.unpack('4i', raw[:16])
st = np.frombuffer(raw[16:], dtype=np.uint64).reshape(512, KB, 3)[:T, :blocks].astype(np.int64)
st = st - st[0, :, 0].min()
ent, wt, end = st[:, :, 0], st[:, :, 1], st[:, :, 2]
nE, pE = end[:, :nb].max(1), end[:, nb:].max(1)
E = np.maximum(nE, pE)
W0 = wt.min(1)
nW, pW = wt[:, :nb].min(1), wt[:, nb:].min(1)
print(f"T {T} blocks {blocks} (neuron {nb}); steps span {(E[-1]-ent[0].min())/1e3:.1f} us = {(E[-1]-ent[0].min())/1e3/T:.2f} us/step")
per = np.diff(E)
med = lambda x: float(np.median(x))
print(f"period end->end: median {med(per)/1e3:.2f} us, mean {per.mean()/1e3:.2f}, p90 {np.percentile(per,90)/1e3:.2f}")
bnd = W0[1:] - E[:-1]
print(f"release after previous end (first wait - prev last end): median {med(bnd)/1e3:.2f} us")
print(f"entry (first block) before prev end: median {med(E[:-1]-ent[1:].min(1))/1e3:.2f} us; last block entry after prev end: median {med(ent[1:].max(1)-E[:-1])/1e3:.2f}")
print(f"wait spread (max-min post-wait): {med(wt.max(1)-wt.min(1))/1e3:.2f} us")
print(f"neuron: first wait -> last neuron end {med(nE - nW)/1e3:.2f} us; push: first wait -> last push end {med(pE - pW)/1e3:.2f} us")
print(f"last block is push in {np.mean(pE > nE)*100:.0f}% of steps")
# per-block work after wait, median over steps
nw = (end[:, :nb] - wt[:, :nb]); pw = (end[:, nb:] - wt[:, nb:])
print(f"neuron block post-wait work: median {med(nw)/1e3:.2f}, max-block median {med(nw.max(1))/1e3:.2f} us; push block: median {med(pw)/1e3:.2f}, max-block median {med(pw.max(1))/1e3:.2f}")
big = np.where(per > 2.5 * med(per))[0]
print("long periods (t+1: us):", ' '.join(f"{t+1}:{per[t]/1e3:.1f}" for t in big[:40]))
print(f"sum of long periods {per[big].sum()/1e3:.1f} us, of the rest {(per.sum()-per[big].sum())/1e3:.1f} us")
# which push block ends last: its post-wait time
lastp = np.argmax(end[:, nb:], 1)
print("per-step sample (t: neuronEnd-W, pushEnd-W, period):", ' '.join(f"{t}:{(nE[t]-W0[t])/1e3:.1f}/{(pE[t]-W0[t])/1e3:.1f}/{(E[t]-E[t-1])/1e3:.1f}" for t in range(100, 120)))
