// Client: devices, memory statistics, host-to-device transfers and compilation.
#include "addon.h"
#include "events.h"

namespace jaxts {

ClientState::~ClientState() {
  if (!client) return;
  auto args = JAXTS_ARGS(pjrt::ClientDestroyArgs, client);
  args.client = client;
  bool missing = false;
  pjrt::Error* error = api->CallNoThrow(pjrt::kClientDestroy, &args, &missing);
  if (error) api->DestroyError(error);
}

int ClientState::DeviceIndex(pjrt::Device* device) const {
  for (size_t i = 0; i < devices.size(); ++i) {
    if (devices[i] == device) return static_cast<int>(i);
  }
  return -1;
}

Napi::Function ClientWrap::Init(Napi::Env env) {
  return DefineClass(env, "Client",
                     {InstanceAccessor<&ClientWrap::PlatformName>("platformName"),
                      InstanceAccessor<&ClientWrap::PlatformVersion>("platformVersion"),
                      InstanceMethod<&ClientWrap::Devices>("devices"),
                      InstanceMethod<&ClientWrap::MemoryStats>("memoryStats"),
                      InstanceMethod<&ClientWrap::BufferFromHost>("bufferFromHost"),
                      InstanceMethod<&ClientWrap::Compile>("compile"),
                      InstanceMethod<&ClientWrap::CompileSync>("compileSync"),
                      InstanceMethod<&ClientWrap::Deserialize>("deserialize"),
                      InstanceMethod<&ClientWrap::Dispose>("dispose")});
}

ClientWrap::ClientWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ClientWrap>(info) {
  auto* state = TakeHandoff<std::shared_ptr<ClientState>>(info);
  if (!state) throw Napi::TypeError::New(info.Env(), "Client cannot be constructed directly; use plugin.createClient()");
  state_ = *state;
}

std::shared_ptr<ClientState> ClientWrap::Live(Napi::Env env, const char* what) const {
  if (!state_) throw Napi::Error::New(env, std::string(what) + ": the client has been disposed");
  return state_;
}

Napi::Value ClientWrap::PlatformName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), Live(info.Env(), "platformName")->platform);
}

Napi::Value ClientWrap::PlatformVersion(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env, "platformVersion");
  auto args = JAXTS_ARGS(pjrt::ClientPlatformVersionArgs, platform_version_size);
  args.client = state->client;
  state->api->Check(env, state->api->Call(env, pjrt::kClientPlatformVersion, &args), "PJRT_Client_PlatformVersion");
  return Napi::String::New(env, args.platform_version, args.platform_version_size);
}

Napi::Value ClientWrap::Devices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env, "devices");
  const Api* api = state->api;
  Napi::Array result = Napi::Array::New(env, state->devices.size());
  for (size_t i = 0; i < state->devices.size(); ++i) {
    pjrt::Device* device = state->devices[i];
    auto describe = JAXTS_ARGS(pjrt::DeviceGetDescriptionArgs, device_description);
    describe.device = device;
    api->Check(env, api->Call(env, pjrt::kDeviceGetDescription, &describe), "PJRT_Device_GetDescription");
    auto id = JAXTS_ARGS(pjrt::DeviceDescriptionIdArgs, id);
    id.device_description = describe.device_description;
    api->Check(env, api->Call(env, pjrt::kDeviceDescriptionId, &id), "PJRT_DeviceDescription_Id");
    auto kind = JAXTS_ARGS(pjrt::DeviceDescriptionKindArgs, device_kind_size);
    kind.device_description = describe.device_description;
    api->Check(env, api->Call(env, pjrt::kDeviceDescriptionKind, &kind), "PJRT_DeviceDescription_Kind");
    auto process = JAXTS_ARGS(pjrt::DeviceDescriptionProcessIndexArgs, process_index);
    process.device_description = describe.device_description;
    api->Check(env, api->Call(env, pjrt::kDeviceDescriptionProcessIndex, &process), "PJRT_DeviceDescription_ProcessIndex");
    auto text = JAXTS_ARGS(pjrt::DeviceDescriptionToStringArgs, to_string_size);
    text.device_description = describe.device_description;
    api->Check(env, api->Call(env, pjrt::kDeviceDescriptionToString, &text), "PJRT_DeviceDescription_ToString");
    auto hardware = JAXTS_ARGS(pjrt::DeviceLocalHardwareIdArgs, local_hardware_id);
    hardware.device = device;
    api->Check(env, api->Call(env, pjrt::kDeviceLocalHardwareId, &hardware), "PJRT_Device_LocalHardwareId");

    Napi::Object entry = Napi::Object::New(env);
    entry.Set("index", Napi::Number::New(env, static_cast<double>(i)));
    entry.Set("id", id.id);
    entry.Set("kind", Napi::String::New(env, kind.device_kind, kind.device_kind_size));
    entry.Set("processIndex", process.process_index);
    entry.Set("localHardwareId", hardware.local_hardware_id);
    entry.Set("description", Napi::String::New(env, text.to_string, text.to_string_size));
    result.Set(i, entry);
  }
  return result;
}

// memoryStats(deviceIndex): an object of the statistics the plugin reports, or null when
// it reports none (the CPU plugin).
Napi::Value ClientWrap::MemoryStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env, "memoryStats");
  if (info.Length() != 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "memoryStats(deviceIndex): expected a number");
  const int64_t index = info[0].As<Napi::Number>().Int64Value();
  if (index < 0 || index >= static_cast<int64_t>(state->devices.size())) {
    throw Napi::RangeError::New(env, "memoryStats: device index " + std::to_string(index) + " out of range [0, " +
                                         std::to_string(state->devices.size()) + ")");
  }
  if (!state->api->Slot(pjrt::kDeviceMemoryStats)) return env.Null();
  auto args = JAXTS_ARGS(pjrt::DeviceMemoryStatsArgs, peak_pool_bytes_is_set);
  args.device = state->devices[index];
  pjrt::Error* error = state->api->Call(env, pjrt::kDeviceMemoryStats, &args);
  if (error) {
    const auto code = state->api->ErrorCode(error);
    if (code == pjrt::ErrorCode::kUnimplemented) {
      state->api->DestroyError(error);
      return env.Null();
    }
    state->api->Check(env, error, "PJRT_Device_MemoryStats");
  }
  Napi::Object stats = Napi::Object::New(env);
  auto put = [&](const char* name, int64_t value, bool is_set) {
    if (is_set) stats.Set(name, Napi::Number::New(env, static_cast<double>(value)));
  };
  put("bytesInUse", args.bytes_in_use, true);
  put("peakBytesInUse", args.peak_bytes_in_use, args.peak_bytes_in_use_is_set);
  put("numAllocs", args.num_allocs, args.num_allocs_is_set);
  put("largestAllocSize", args.largest_alloc_size, args.largest_alloc_size_is_set);
  put("bytesLimit", args.bytes_limit, args.bytes_limit_is_set);
  put("bytesReserved", args.bytes_reserved, args.bytes_reserved_is_set);
  put("peakBytesReserved", args.peak_bytes_reserved, args.peak_bytes_reserved_is_set);
  put("bytesReservableLimit", args.bytes_reservable_limit, args.bytes_reservable_limit_is_set);
  put("largestFreeBlockBytes", args.largest_free_block_bytes, args.largest_free_block_bytes_is_set);
  return stats;
}

// bufferFromHost(view: ArrayBufferView, type: number, dims: number[], deviceIndex: number)
// The bytes are copied before the call returns (kImmutableOnlyDuringCall).
Napi::Value ClientWrap::BufferFromHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env, "bufferFromHost");
  if (info.Length() != 4 || (!info[0].IsTypedArray() && !info[0].IsDataView()) || !info[1].IsNumber() ||
      !info[2].IsArray() || !info[3].IsNumber()) {
    throw Napi::TypeError::New(env, "bufferFromHost(data, type, dims, deviceIndex): expected a TypedArray or DataView, "
                                    "a PJRT element type number, an array of dimensions and a device index");
  }
  const void* data;
  size_t byte_length;
  if (info[0].IsTypedArray()) {
    Napi::TypedArray view = info[0].As<Napi::TypedArray>();
    data = static_cast<const char*>(view.ArrayBuffer().Data()) + view.ByteOffset();
    byte_length = view.ByteLength();
  } else {
    Napi::DataView view = info[0].As<Napi::DataView>();
    data = static_cast<const char*>(view.ArrayBuffer().Data()) + view.ByteOffset();
    byte_length = view.ByteLength();
  }
  const int type = info[1].As<Napi::Number>().Int32Value();
  const size_t element_size = ElementSize(type);
  if (element_size == 0) throw Napi::TypeError::New(env, "bufferFromHost: unsupported PJRT element type " + std::to_string(type));
  Napi::Array dims_js = info[2].As<Napi::Array>();
  std::vector<int64_t> dims(dims_js.Length());
  size_t count = 1;
  for (uint32_t i = 0; i < dims.size(); ++i) {
    Napi::Value d = dims_js.Get(i);
    const double value = d.IsNumber() ? d.As<Napi::Number>().DoubleValue() : -1;
    if (!(value >= 0 && value <= 9007199254740991.0) || value != static_cast<double>(static_cast<int64_t>(value))) {
      throw Napi::TypeError::New(env, "bufferFromHost: dimension " + std::to_string(i) + " must be a non-negative integer");
    }
    dims[i] = static_cast<int64_t>(value);
    count *= static_cast<size_t>(dims[i]);
  }
  if (count * element_size != byte_length) {
    throw Napi::RangeError::New(env, "bufferFromHost: " + std::to_string(byte_length) + " bytes given but the shape needs " +
                                         std::to_string(count) + " elements of " + std::to_string(element_size) + " bytes (" +
                                         std::to_string(count * element_size) + " bytes)");
  }
  const int64_t device_index = info[3].As<Napi::Number>().Int64Value();
  if (device_index < 0 || device_index >= static_cast<int64_t>(state->devices.size())) {
    throw Napi::RangeError::New(env, "bufferFromHost: device index " + std::to_string(device_index) +
                                         " out of range [0, " + std::to_string(state->devices.size()) + ")");
  }
  static const char empty = 0;
  auto args = JAXTS_ARGS(pjrt::ClientBufferFromHostBufferArgs, buffer);
  args.client = state->client;
  args.data = byte_length ? data : &empty;
  args.type = static_cast<pjrt::BufferType>(type);
  args.dims = dims.data();
  args.num_dims = dims.size();
  args.host_buffer_semantics = pjrt::kImmutableOnlyDuringCall;
  args.device = state->devices[device_index];
  state->api->Check(env, state->api->Call(env, pjrt::kClientBufferFromHostBuffer, &args), "PJRT_Client_BufferFromHostBuffer");
  state->api->DestroyEvent(args.done_with_host_buffer);
  auto buffer = std::make_shared<BufferState>();
  buffer->client = state;
  buffer->buffer = args.buffer;
  return BufferWrap::Wrap(env, std::move(buffer));
}

namespace {

struct CompileResult {
  pjrt::LoadedExecutable* loaded = nullptr;
  pjrt::Error* error = nullptr;
  bool missing = false;
};

CompileResult RunCompile(const ClientState& state, const std::string& code, const std::string& options) {
  pjrt::Program program{};
  program.struct_size = JAXTS_PJRT_SIZE(pjrt::Program, format_size);
  program.code = const_cast<char*>(code.data());
  program.code_size = code.size();
  static const char kFormat[] = "mlir";
  program.format = kFormat;
  program.format_size = sizeof(kFormat) - 1;
  auto args = JAXTS_ARGS(pjrt::ClientCompileArgs, executable);
  args.client = state.client;
  args.program = &program;
  args.compile_options = options.data();
  args.compile_options_size = options.size();
  CompileResult result;
  result.error = state.api->CallNoThrow(pjrt::kClientCompile, &args, &result.missing);
  result.loaded = args.executable;
  return result;
}

std::string BytesArg(Napi::Env env, const Napi::Value& value, const char* what) {
  if (value.IsString()) return value.As<Napi::String>().Utf8Value();
  if (value.IsTypedArray()) {
    Napi::TypedArray view = value.As<Napi::TypedArray>();
    return std::string(static_cast<const char*>(view.ArrayBuffer().Data()) + view.ByteOffset(), view.ByteLength());
  }
  throw Napi::TypeError::New(env, std::string(what) + " must be a string or a Uint8Array");
}

// Wraps a freshly loaded executable (taking ownership) with its PJRT_Executable view.
Napi::Object MakeExecutable(Napi::Env env, std::shared_ptr<ClientState> client, pjrt::LoadedExecutable* loaded) {
  auto state = std::make_shared<ExecutableState>();
  state->client = std::move(client);
  state->loaded = loaded;
  state->executable = nullptr;
  auto get = JAXTS_ARGS(pjrt::LoadedExecutableGetExecutableArgs, executable);
  get.loaded_executable = loaded;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kLoadedExecutableGetExecutable, &get),
                            "PJRT_LoadedExecutable_GetExecutable");
  state->executable = get.executable;
  return ExecutableWrap::Wrap(env, std::move(state));
}

// Compilation runs on the libuv pool (8 MiB stacks: XLA and LLVM recurse deeply).
class CompileWorker : public Napi::AsyncWorker {
 public:
  CompileWorker(Napi::Env env, std::shared_ptr<ClientState> client, std::string code, std::string options)
      : Napi::AsyncWorker(env, "jaxts.compile"), deferred_(Napi::Promise::Deferred::New(env)),
        client_(std::move(client)), code_(std::move(code)), options_(std::move(options)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override { result_ = RunCompile(*client_, code_, options_); }
  void OnOK() override {
    Napi::Env env = Env();
    if (result_.missing) {
      deferred_.Reject(Napi::Error::New(env, "jaxts: the PJRT plugin does not implement PJRT_Client_Compile").Value());
    } else if (result_.error) {
      deferred_.Reject(client_->api->MakeError(env, result_.error, "PJRT_Client_Compile").Value());
    } else {
      try {
        deferred_.Resolve(MakeExecutable(env, client_, result_.loaded));
      } catch (const Napi::Error& e) {
        deferred_.Reject(e.Value());
      }
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<ClientState> client_;
  std::string code_, options_;
  CompileResult result_;
};

}  // namespace

// compile(code: string | Uint8Array, compileOptions: Uint8Array): Promise<Executable>
Napi::Value ClientWrap::Compile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env, "compile");
  if (info.Length() != 2) throw Napi::TypeError::New(env, "compile(code, compileOptions): expected 2 arguments");
  auto* worker = new CompileWorker(env, state, BytesArg(env, info[0], "compile: code"),
                                   BytesArg(env, info[1], "compile: compileOptions"));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value ClientWrap::CompileSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env, "compileSync");
  if (info.Length() != 2) throw Napi::TypeError::New(env, "compileSync(code, compileOptions): expected 2 arguments");
  CompileResult result = RunCompile(*state, BytesArg(env, info[0], "compileSync: code"),
                                    BytesArg(env, info[1], "compileSync: compileOptions"));
  if (result.missing) throw Napi::Error::New(env, "jaxts: the PJRT plugin does not implement PJRT_Client_Compile");
  state->api->Check(env, result.error, "PJRT_Client_Compile");
  return MakeExecutable(env, state, result.loaded);
}

// deserialize(bytes: Uint8Array, compileOptions?: Uint8Array): Executable
Napi::Value ClientWrap::Deserialize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env, "deserialize");
  if (info.Length() < 1) throw Napi::TypeError::New(env, "deserialize(bytes): expected serialized executable bytes");
  const std::string bytes = BytesArg(env, info[0], "deserialize: bytes");
  std::string options;
  const bool has_options = info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsNull();
  if (has_options) options = BytesArg(env, info[1], "deserialize: compileOptions");
  auto args = JAXTS_ARGS(pjrt::ExecutableDeserializeAndLoadArgs, load_options);
  args.client = state->client;
  args.serialized_executable = bytes.data();
  args.serialized_executable_size = bytes.size();
  if (has_options) {
    args.overridden_serialized_compile_options = options.data();
    args.overridden_serialized_compile_options_size = options.size();
  }
  state->api->Check(env, state->api->Call(env, pjrt::kExecutableDeserializeAndLoad, &args),
                    "PJRT_Executable_DeserializeAndLoad");
  return MakeExecutable(env, state, args.loaded_executable);
}

// The PJRT client itself is destroyed once its last buffer and executable are gone.
Napi::Value ClientWrap::Dispose(const Napi::CallbackInfo& info) {
  state_.reset();
  return info.Env().Undefined();
}

}  // namespace jaxts
