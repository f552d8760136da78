// Marks functions shared by the C++ (g++) and CUDA (nvcc) backends.
#pragma once
#ifndef V1LM_HD
#ifdef __CUDACC__
#define V1LM_HD __host__ __device__ __forceinline__
#else
#define V1LM_HD inline
#endif
#endif
