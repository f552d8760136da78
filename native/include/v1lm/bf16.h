// bfloat16 rounding of float32 values, shared by the backends: a value stored in bfloat16 (8 bits of
// mantissa) is read back as the float32 this returns. Round to nearest, ties to even; NaN stays NaN, values
// beyond the largest bfloat16 round to ±inf as the conversion does.
#pragma once
#include <cstdint>
#include <cstring>

#include "v1lm/hd.h"

namespace v1lm {

V1LM_HD float roundToBfloat16(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  if ((u & 0x7fffffffu) > 0x7f800000u) return x;  // NaN
  u += 0x7fffu + ((u >> 16) & 1u);
  u &= 0xffff0000u;
  float y;
  memcpy(&y, &u, sizeof y);
  return y;
}

}  // namespace v1lm
