{
  "targets": [{
    "target_name": "v1lm",
    "sources": ["<!@(node -p \"require('fs').readdirSync('native',{recursive:true}).filter(f=>f.endsWith('.cc')).map(f=>'native/'+f).join(' ')\")"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/include", "native"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED",
                "V1LM_CUDA_STATUS=\"not built: CPU-only node-gyp fallback build (cmake was unavailable)\""],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
    "cflags_cc": ["-std=c++17", "-O3", "-fexceptions"]
  }]
}
