// Optimizer updates of one weight (SPEC §11.3), shared by both backends, followed by the sign
// projection of SPEC §3.4 (positive-at-init → max(w, 0), else min(w, 0)).
#pragma once
#include <cmath>

#include "v1lm/hd.h"

namespace v1lm {

// Keras Adam moments: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2).
V1LM_HD void adamMoments(float g, float beta1, float beta2, float& m, float& v) {
  m = m + (g - m) * (1.0f - beta1);
  v = v + (g * g - v) * (1.0f - beta2);
}

V1LM_HD float signProject(float w, bool positive) { return positive ? fmaxf(w, 0.0f) : fminf(w, 0.0f); }

// alpha = lr·sqrt(1 − β2^t)/(1 − β1^t), computed once per step on the host in double.
V1LM_HD float adamUpdate(float w, float m, float v, float alpha, float eps) { return w - alpha * m / (sqrtf(v) + eps); }

// Exponentiated Adam: w ← w·exp(−α·m/(sqrt(v) + ε)·s), s = sign(w), sign(0) := +1. Never changes sign.
V1LM_HD float expAdamUpdate(float w, float m, float v, float alpha, float eps) {
  const float s = w < 0.0f ? -1.0f : 1.0f;
  return w * expf(-alpha * m / (sqrtf(v) + eps) * s);
}

V1LM_HD float sgdUpdate(float w, float g, float lr) { return w - lr * g; }

}  // namespace v1lm
