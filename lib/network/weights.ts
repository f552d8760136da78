/** Edge weight rules of the V1-V1 edge types (SPEC §7.2) and the delay rounding of SPEC §3.3. */

/** Direction difference folded to [0, 180] degrees. */
export function directionDelta(trg: number, src: number): number {
  return Math.abs(Math.abs((Math.abs(trg - src) % 360) - 180) - 180)
}

/**
 * w = syn_weight · nsyns · exp(−(Δ/σ_w)²), times exp(−xz²/2)·(5.5/4 − 11/1680·θs) for DirectionRule_EE (SPEC §7.2).
 * Positions in µm, angles in degrees. Result in pA (signed as syn_weight).
 */
export function directionRuleWeight(
  synWeight: number, nsyns: number, sigmaW: number, ee: boolean,
  trgX: number, trgZ: number, trgAngle: number, srcX: number, srcZ: number, srcAngle: number,
): number {
  const d = directionDelta(trgAngle, srcAngle)
  let w = synWeight * nsyns * Math.exp(-((d / sigmaW) ** 2))
  if (ee) {
    const dx = 0.07 * (trgX - srcX)
    const dz = 0.04 * (trgZ - srcZ)
    const th = (trgAngle * Math.PI) / 180
    const xz = dx * Math.cos(th) + dz * Math.sin(th)
    const ths = Math.abs(Math.abs(180 - (Math.abs(trgAngle) % 360)) - 90) - 90
    w *= Math.exp(-(xz * xz) / 2) * (5.5 / 4 - (11 / 1680) * Math.abs(ths))
  }
  return w
}

/** numpy round (half to even). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** D = round(min(max recurrent delay, maxDelay)) (SPEC §3.3). */
export function maxDelaySteps(maxDelayMs: number, cap = 5, dt = 1): number {
  return Math.max(1, roundHalfEven(Math.min(maxDelayMs, cap) / dt))
}

/** Steps of one synapse: round(clip(delay, dt, D·dt)/dt), 1 ≤ d ≤ D. */
export function delaySteps(delayMs: number, D: number, dt = 1): number {
  return roundHalfEven(Math.min(Math.max(delayMs, dt), D * dt) / dt)
}
