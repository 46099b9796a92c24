// Baseline for bench/roundtrip.mjs: the same tiny-program loop written in C++ straight
// against the PJRT C API (through jaxts' own declarations in src/pjrt_api.h).
// Usage: roundtrip <plugin.so> <iterations> [platform]
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../../src/pjrt_api.h"

using namespace pjrt;

static const ApiHead* api;
template <typename Args>
static Error* Call(Ordinal k, Args* a) {
  void* fn;
  memcpy(&fn, reinterpret_cast<const char*>(api) + kFunctionTableOffset + 8 * k, 8);
  return reinterpret_cast<Error* (*)(Args*)>(fn)(a);
}
static void Check(Error* e, const char* what) {
  if (!e) return;
  ErrorMessageArgs m{};
  m.struct_size = JAXTS_PJRT_SIZE(ErrorMessageArgs, message_size);
  m.error = e;
  void* fn;
  memcpy(&fn, reinterpret_cast<const char*>(api) + kFunctionTableOffset + 8 * kErrorMessage, 8);
  reinterpret_cast<void (*)(ErrorMessageArgs*)>(fn)(&m);
  fprintf(stderr, "%s: %.*s\n", what, (int)m.message_size, m.message);
  exit(1);
}

int main(int argc, char** argv) {
  if (argc < 3) return fprintf(stderr, "usage: roundtrip <plugin.so> <iterations> [cpu|cuda]\n"), 2;
  const int iterations = atoi(argv[2]);
  const std::string platform = argc > 3 ? argv[3] : "cpu";
  void* handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!handle) return fprintf(stderr, "%s\n", dlerror()), 1;
  api = reinterpret_cast<GetPjrtApiFn>(dlsym(handle, "GetPjrtApi"))();
  PluginInitializeArgs init{};
  init.struct_size = JAXTS_PJRT_SIZE(PluginInitializeArgs, extension_start);
  Check(Call(kPluginInitialize, &init), "init");

  NamedValue option{};
  option.struct_size = JAXTS_PJRT_SIZE(NamedValue, value_size);
  std::string name = platform == "cpu" ? "cpu_device_count" : "preallocate";
  option.name = name.c_str();
  option.name_size = name.size();
  if (platform == "cpu") {
    option.type = kInt64;
    option.int64_value = 1;
  } else {
    option.type = kBool;
    option.bool_value = false;
  }
  option.value_size = 1;
  ClientCreateArgs create{};
  create.struct_size = JAXTS_PJRT_SIZE(ClientCreateArgs, kv_try_get_user_arg);
  create.create_options = &option;
  create.num_options = 1;
  Check(Call(kClientCreate, &create), "client");
  Client* client = create.client;
  ClientDevicesArgs devices{};
  devices.struct_size = JAXTS_PJRT_SIZE(ClientDevicesArgs, num_devices);
  devices.client = client;
  Check(Call(kClientAddressableDevices, &devices), "devices");

  std::string code =
      "module @bench attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {\n"
      "  func.func public @main(%x: tensor<8xf32>) -> tensor<8xf32> {\n"
      "    %one = stablehlo.constant dense<1.0> : tensor<8xf32>\n"
      "    %0 = stablehlo.add %x, %one : tensor<8xf32>\n"
      "    return %0 : tensor<8xf32>\n  }\n}\n";
  const unsigned char options[] = {0x1a, 0x0f, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0x01, 0x20, 0x01, 0x28, 0x01};
  Program program{};
  program.struct_size = JAXTS_PJRT_SIZE(Program, format_size);
  program.code = code.data();
  program.code_size = code.size();
  program.format = "mlir";
  program.format_size = 4;
  ClientCompileArgs compile{};
  compile.struct_size = JAXTS_PJRT_SIZE(ClientCompileArgs, executable);
  compile.client = client;
  compile.program = &program;
  compile.compile_options = reinterpret_cast<const char*>(options);
  compile.compile_options_size = sizeof(options);
  Check(Call(kClientCompile, &compile), "compile");

  float host[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  int64_t dims[1] = {8};
  ClientBufferFromHostBufferArgs upload{};
  upload.struct_size = JAXTS_PJRT_SIZE(ClientBufferFromHostBufferArgs, buffer);
  upload.client = client;
  upload.data = host;
  upload.type = kF32;
  upload.dims = dims;
  upload.num_dims = 1;
  upload.host_buffer_semantics = kImmutableOnlyDuringCall;
  upload.device = devices.devices[0];
  Check(Call(kClientBufferFromHostBuffer, &upload), "upload");
  EventDestroyArgs destroy_event{};
  destroy_event.struct_size = JAXTS_PJRT_SIZE(EventDestroyArgs, event);
  destroy_event.event = upload.done_with_host_buffer;
  Check(Call(kEventDestroy, &destroy_event), "event destroy");

  std::vector<double> samples;
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    ExecuteOptions exec_options{};
    exec_options.struct_size = JAXTS_PJRT_SIZE(ExecuteOptions, num_hlo_output_callbacks);
    int64_t non_donatable[1] = {0};
    exec_options.non_donatable_input_indices = non_donatable;
    exec_options.num_non_donatable_input_indices = 1;
    Buffer* args[1] = {upload.buffer};
    Buffer* const* arg_lists[1] = {args};
    Buffer* outs[1] = {nullptr};
    Buffer** out_lists[1] = {outs};
    Event* done[1] = {nullptr};
    LoadedExecutableExecuteArgs execute{};
    execute.struct_size = JAXTS_PJRT_SIZE(LoadedExecutableExecuteArgs, execute_device);
    execute.executable = compile.executable;
    execute.options = &exec_options;
    execute.argument_lists = arg_lists;
    execute.num_devices = 1;
    execute.num_args = 1;
    execute.output_lists = out_lists;
    execute.device_complete_events = done;
    Check(Call(kLoadedExecutableExecute, &execute), "execute");
    EventAwaitArgs await_args{};
    await_args.struct_size = JAXTS_PJRT_SIZE(EventAwaitArgs, event);
    await_args.event = done[0];
    Check(Call(kEventAwait, &await_args), "await");
    destroy_event.event = done[0];
    Check(Call(kEventDestroy, &destroy_event), "event destroy");
    BufferDestroyArgs destroy_buffer{};
    destroy_buffer.struct_size = JAXTS_PJRT_SIZE(BufferDestroyArgs, buffer);
    destroy_buffer.buffer = outs[0];
    Check(Call(kBufferDestroy, &destroy_buffer), "buffer destroy");
    samples.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  printf("{\"median_us\": %.3f, \"p10_us\": %.3f, \"p90_us\": %.3f, \"iterations\": %d}\n", samples[samples.size() / 2],
         samples[samples.size() / 10], samples[samples.size() * 9 / 10], iterations);
  fflush(stdout);
  _Exit(0);  // skip plugin teardown: only the loop is measured
}
