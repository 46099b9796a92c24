{
  "targets": [
    {
      "target_name": "jaxts",
      "sources": [
        "src/addon.cc",
        "src/api.cc",
        "src/events.cc",
        "src/plugin.cc",
        "src/client.cc",
        "src/buffer.cc",
        "src/executable.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # NAPI_EXPERIMENTAL: wrapped objects without JS-touching finalizers are freed during GC itself;
      # otherwise Node defers finalizers to the event loop, and a synchronous training loop that
      # never yields would keep every garbage device buffer alive until it ends.
      "defines": ["NAPI_EXPERIMENTAL", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2", "-Wall", "-Wno-unused-parameter"],
      "libraries": ["-ldl"]
    }
  ]
}
