{
  "targets": [
    {
      "target_name": "tsnas_native",
      "sources": ["src/addon.cc", "src/conv.cc", "src/conv-direct.cc", "src/depthwise.cc", "src/channels.cc", "src/pool.cc", "src/upsample.cc", "src/loss.cc", "src/adam.cc", "src/copy.cc", "src/elementwise.cc", "src/reduce.cc"],
      "include_dirs": ["/usr/include/x86_64-linux-gnu", "/usr/include/openblas"],
      "libraries": ["-lopenblas"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "-fno-math-errno", "-fno-trapping-math"],
      "cflags_cc!": ["-fno-rtti"],
      "variables": {
        "libmvec": "<!(sh -c \"test -e \\\"$(${CXX:-g++} -print-file-name=libmvec.so)\\\" && echo 1 || echo 0\")"
      },
      "conditions": [
        ["libmvec==1", {"libraries": ["-lmvec"], "defines": ["TSNAS_LIBMVEC"]}]
      ]
    }
  ]
}
