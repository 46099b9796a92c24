// Executable: output signature, execution on one or several devices, serialization.
#include <algorithm>

#include "addon.h"
#include "events.h"

namespace jaxts {

ExecutableState::~ExecutableState() {
  const Api* api = client->api;
  bool missing = false;
  if (executable) {
    auto args = JAXTS_ARGS(pjrt::ExecutableDestroyArgs, executable);
    args.executable = executable;
    if (pjrt::Error* error = api->CallNoThrow(pjrt::kExecutableDestroy, &args, &missing)) api->DestroyError(error);
  }
  if (loaded) {
    auto args = JAXTS_ARGS(pjrt::LoadedExecutableDestroyArgs, executable);
    args.executable = loaded;
    if (pjrt::Error* error = api->CallNoThrow(pjrt::kLoadedExecutableDestroy, &args, &missing)) api->DestroyError(error);
  }
}

Napi::Function ExecutableWrap::Init(Napi::Env env) {
  return DefineClass(env, "Executable",
                     {InstanceAccessor<&ExecutableWrap::NumOutputs>("numOutputs"),
                      InstanceAccessor<&ExecutableWrap::OutputTypes>("outputTypes"),
                      InstanceAccessor<&ExecutableWrap::OutputDims>("outputDims"),
                      InstanceAccessor<&ExecutableWrap::AddressableDevices>("addressableDevices"),
                      InstanceAccessor<&ExecutableWrap::Fingerprint>("fingerprint"),
                      InstanceAccessor<&ExecutableWrap::Name>("name"),
                      InstanceMethod<&ExecutableWrap::Execute>("execute"),
                      InstanceMethod<&ExecutableWrap::ExecuteOne>("executeOne"),
                      InstanceMethod<&ExecutableWrap::Serialize>("serialize"),
                      InstanceMethod<&ExecutableWrap::Dispose>("dispose")});
}

ExecutableWrap::ExecutableWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ExecutableWrap>(info) {
  auto* state = TakeHandoff<std::shared_ptr<ExecutableState>>(info);
  if (!state) throw Napi::TypeError::New(info.Env(), "Executable cannot be constructed directly; use client.compile()");
  state_ = *state;
}

Napi::Object ExecutableWrap::Wrap(Napi::Env env, std::shared_ptr<ExecutableState> state) {
  const Api* api = state->client->api;
  auto args = JAXTS_ARGS(pjrt::ExecutableNumOutputsArgs, num_outputs);
  args.executable = state->executable;
  api->Check(env, api->Call(env, pjrt::kExecutableNumOutputs, &args), "PJRT_Executable_NumOutputs");
  // Output sizes are fixed by the program: computed once, not per execution.
  auto types = JAXTS_ARGS(pjrt::ExecutableOutputElementTypesArgs, num_output_types);
  types.executable = state->executable;
  api->Check(env, api->Call(env, pjrt::kExecutableOutputElementTypes, &types), "PJRT_Executable_OutputElementTypes");
  auto dims = JAXTS_ARGS(pjrt::ExecutableOutputDimensionsArgs, dim_sizes);
  dims.executable = state->executable;
  api->Check(env, api->Call(env, pjrt::kExecutableOutputDimensions, &dims), "PJRT_Executable_OutputDimensions");
  std::vector<int64_t> output_bytes;
  size_t offset = 0;
  for (size_t i = 0; i < dims.num_outputs && i < types.num_output_types; ++i) {
    int64_t count = 1;
    for (size_t j = 0; j < dims.dim_sizes[i]; ++j) count *= dims.dims[offset + j];
    offset += dims.dim_sizes[i];
    output_bytes.push_back(count * static_cast<int64_t>(ElementSize(types.output_types[i])));
  }
  Napi::Object object = ConstructNative(env, InstanceData::Get(env)->executable_ctor, &state);
  ExecutableWrap* wrap = ExecutableWrap::Unwrap(object);
  wrap->num_outputs_ = args.num_outputs;
  if (output_bytes.size() == args.num_outputs) wrap->output_bytes_ = std::move(output_bytes);
  return object;
}

std::shared_ptr<ExecutableState> ExecutableWrap::Live(Napi::Env env) const {
  if (!state_) throw Napi::Error::New(env, "jaxts: this executable has been disposed");
  return state_;
}

Napi::Value ExecutableWrap::NumOutputs(const Napi::CallbackInfo& info) {
  Live(info.Env());
  return Napi::Number::New(info.Env(), static_cast<double>(num_outputs_));
}

Napi::Value ExecutableWrap::OutputTypes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  auto args = JAXTS_ARGS(pjrt::ExecutableOutputElementTypesArgs, num_output_types);
  args.executable = state->executable;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kExecutableOutputElementTypes, &args),
                            "PJRT_Executable_OutputElementTypes");
  Napi::Array result = Napi::Array::New(env, args.num_output_types);
  for (size_t i = 0; i < args.num_output_types; ++i) result.Set(i, static_cast<int>(args.output_types[i]));
  return result;
}

Napi::Value ExecutableWrap::OutputDims(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  auto args = JAXTS_ARGS(pjrt::ExecutableOutputDimensionsArgs, dim_sizes);
  args.executable = state->executable;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kExecutableOutputDimensions, &args),
                            "PJRT_Executable_OutputDimensions");
  Napi::Array result = Napi::Array::New(env, args.num_outputs);
  size_t offset = 0;
  for (size_t i = 0; i < args.num_outputs; ++i) {
    Napi::Array dims = Napi::Array::New(env, args.dim_sizes[i]);
    for (size_t j = 0; j < args.dim_sizes[i]; ++j) {
      dims.Set(j, Napi::Number::New(env, static_cast<double>(args.dims[offset + j])));
    }
    offset += args.dim_sizes[i];
    result.Set(i, dims);
  }
  return result;
}

Napi::Value ExecutableWrap::AddressableDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  auto args = JAXTS_ARGS(pjrt::LoadedExecutableAddressableDevicesArgs, num_addressable_devices);
  args.executable = state->loaded;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kLoadedExecutableAddressableDevices, &args),
                            "PJRT_LoadedExecutable_AddressableDevices");
  Napi::Array result = Napi::Array::New(env, args.num_addressable_devices);
  for (size_t i = 0; i < args.num_addressable_devices; ++i) {
    result.Set(i, state->client->DeviceIndex(args.addressable_devices[i]));
  }
  return result;
}

// A string identifying the compiled program, or null when the plugin has none.
Napi::Value ExecutableWrap::Fingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  if (!state->client->api->Slot(pjrt::kExecutableFingerprint)) return env.Null();
  auto args = JAXTS_ARGS(pjrt::ExecutableFingerprintArgs, executable_fingerprint_size);
  args.executable = state->executable;
  pjrt::Error* error = state->client->api->Call(env, pjrt::kExecutableFingerprint, &args);
  if (error) {
    if (state->client->api->ErrorCode(error) == pjrt::ErrorCode::kUnimplemented) {
      state->client->api->DestroyError(error);
      return env.Null();
    }
    state->client->api->Check(env, error, "PJRT_Executable_Fingerprint");
  }
  if (!args.executable_fingerprint) return env.Null();
  return Napi::String::New(env, args.executable_fingerprint, args.executable_fingerprint_size);
}

Napi::Value ExecutableWrap::Name(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  auto args = JAXTS_ARGS(pjrt::ExecutableNameArgs, executable_name_size);
  args.executable = state->executable;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kExecutableName, &args), "PJRT_Executable_Name");
  return Napi::String::New(env, args.executable_name, args.executable_name_size);
}

namespace {

// Calls PJRT_LoadedExecutable_Execute; `outputs` and `events` are sized by the caller.
void Launch(Napi::Env env, const ExecutableState& state, pjrt::Buffer* const* const* argument_lists, size_t num_devices,
            size_t num_args, std::vector<int64_t>& non_donatable, std::vector<std::vector<pjrt::Buffer*>>& outputs,
            std::vector<pjrt::Event*>& events) {
  auto options = JAXTS_ARGS(pjrt::ExecuteOptions, num_hlo_output_callbacks);
  options.non_donatable_input_indices = non_donatable.data();
  options.num_non_donatable_input_indices = non_donatable.size();
  std::vector<pjrt::Buffer**> output_lists(num_devices);
  for (size_t d = 0; d < num_devices; ++d) output_lists[d] = outputs[d].data();
  auto args = JAXTS_ARGS(pjrt::LoadedExecutableExecuteArgs, execute_device);
  args.executable = state.loaded;
  args.options = &options;
  args.argument_lists = argument_lists;
  args.num_devices = num_devices;
  args.num_args = num_args;
  args.output_lists = output_lists.data();
  args.device_complete_events = events.data();
  const Api* api = state.client->api;
  api->Check(env, api->Call(env, pjrt::kLoadedExecutableExecute, &args), "PJRT_LoadedExecutable_Execute");
}

}  // namespace

Napi::Array ExecutableWrap::WrapOutputs(Napi::Env env, const std::shared_ptr<ExecutableState>& state,
                                        const std::vector<pjrt::Buffer*>& buffers) const {
  Napi::Array row = Napi::Array::New(env, buffers.size());
  for (size_t o = 0; o < buffers.size(); ++o) {
    auto buffer = std::make_shared<BufferState>();
    buffer->client = state->client;
    buffer->buffer = buffers[o];
    row.Set(o, BufferWrap::Wrap(env, std::move(buffer), o < output_bytes_.size() ? output_bytes_[o] : -1));
  }
  return row;
}

// executeOne(args: Buffer[]): Buffer[] — the eager/jit fast path: one device, no donation,
// no completion promise (failures surface when the outputs are read).
Napi::Value ExecutableWrap::ExecuteOne(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(env, "executeOne(args): args must be an array of buffers");
  Napi::Array list = info[0].As<Napi::Array>();
  const size_t num_args = list.Length();
  std::vector<pjrt::Buffer*> arguments(num_args);
  std::vector<std::shared_ptr<BufferState>> holds(num_args);
  std::vector<int64_t> non_donatable(num_args);
  for (uint32_t i = 0; i < num_args; ++i) {
    holds[i] = BufferWrap::StateOf(env, list.Get(i), i, 0);
    if (holds[i]->client != state->client) {
      throw Napi::Error::New(env, "execute: argument " + std::to_string(i) + " belongs to a different client");
    }
    arguments[i] = holds[i]->buffer;
    non_donatable[i] = i;
  }
  pjrt::Buffer* const* argument_lists[1] = {arguments.data()};
  std::vector<std::vector<pjrt::Buffer*>> outputs(1, std::vector<pjrt::Buffer*>(num_outputs_, nullptr));
  std::vector<pjrt::Event*> events(1, nullptr);
  Launch(env, *state, argument_lists, 1, num_args, non_donatable, outputs, events);
  state->client->api->DestroyEvent(events[0]);
  return WrapOutputs(env, state, outputs[0]);
}

// execute(argLists: Buffer[][], options?: { donate?: number[], wait?: boolean, completion?: boolean })
//   -> [outputs: Buffer[][], completions: Promise<void>[]]
// One argument list per addressable device. Inputs are never donated unless listed in
// `donate` (and the program aliases them). With `wait`, blocks until the devices finish;
// with `completion: false`, returns no completion promises (outputs still carry errors).
Napi::Value ExecutableWrap::Execute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  const Api* api = state->client->api;
  if (info.Length() < 1 || !info[0].IsArray()) {
    throw Napi::TypeError::New(env, "execute(argLists, options?): argLists must be an array with one argument array per device");
  }
  Napi::Array lists = info[0].As<Napi::Array>();
  const size_t num_devices = lists.Length();
  if (num_devices == 0) throw Napi::RangeError::New(env, "execute: argLists is empty (one argument list per device is needed)");

  std::vector<int64_t> donate;
  bool wait = false;
  bool watch = true;
  if (info.Length() > 1 && info[1].IsObject()) {
    Napi::Object options = info[1].As<Napi::Object>();
    Napi::Value donate_js = options.Get("donate");
    if (donate_js.IsArray()) {
      Napi::Array items = donate_js.As<Napi::Array>();
      for (uint32_t i = 0; i < items.Length(); ++i) donate.push_back(items.Get(i).As<Napi::Number>().Int64Value());
    }
    wait = options.Get("wait").ToBoolean().Value();
    Napi::Value completion = options.Get("completion");
    watch = completion.IsUndefined() || completion.ToBoolean().Value();
  }

  std::vector<std::vector<pjrt::Buffer*>> arguments(num_devices);
  std::vector<std::shared_ptr<BufferState>> holds;  // keeps inputs alive through dispatch
  size_t num_args = 0;
  for (size_t d = 0; d < num_devices; ++d) {
    Napi::Value list_js = lists.Get(d);
    if (!list_js.IsArray()) throw Napi::TypeError::New(env, "execute: argLists[" + std::to_string(d) + "] is not an array");
    Napi::Array list = list_js.As<Napi::Array>();
    if (d == 0) num_args = list.Length();
    if (list.Length() != num_args) {
      throw Napi::RangeError::New(env, "execute: argLists[" + std::to_string(d) + "] has " + std::to_string(list.Length()) +
                                           " arguments but argLists[0] has " + std::to_string(num_args));
    }
    for (uint32_t i = 0; i < list.Length(); ++i) {
      const auto& buffer = BufferWrap::StateOf(env, list.Get(i), i, d);
      if (buffer->client != state->client) {
        throw Napi::Error::New(env, "execute: argument " + std::to_string(i) + " belongs to a different client");
      }
      arguments[d].push_back(buffer->buffer);
      holds.push_back(buffer);
    }
  }
  std::vector<pjrt::Buffer* const*> argument_lists(num_devices);
  for (size_t d = 0; d < num_devices; ++d) argument_lists[d] = arguments[d].data();

  std::vector<int64_t> non_donatable;
  for (size_t i = 0; i < num_args; ++i) {
    if (std::find(donate.begin(), donate.end(), static_cast<int64_t>(i)) == donate.end()) non_donatable.push_back(i);
  }
  std::vector<std::vector<pjrt::Buffer*>> outputs(num_devices, std::vector<pjrt::Buffer*>(num_outputs_, nullptr));
  std::vector<pjrt::Event*> events(num_devices, nullptr);
  Launch(env, *state, argument_lists.data(), num_devices, num_args, non_donatable, outputs, events);

  // Donated inputs now belong to the computation.
  for (size_t d = 0; d < num_devices && !donate.empty(); ++d) {
    Napi::Array list = lists.Get(d).As<Napi::Array>();
    for (int64_t i : donate) {
      if (i >= 0 && static_cast<size_t>(i) < num_args) {
        Napi::ObjectWrap<BufferWrap>::Unwrap(list.Get(static_cast<uint32_t>(i)).As<Napi::Object>())->MarkDonated();
      }
    }
  }

  Napi::Array outputs_js = Napi::Array::New(env, num_devices);
  for (size_t d = 0; d < num_devices; ++d) outputs_js.Set(d, WrapOutputs(env, state, outputs[d]));
  Napi::Array completions = Napi::Array::New(env, num_devices);
  auto keep = std::make_shared<std::pair<std::shared_ptr<ExecutableState>, std::vector<std::shared_ptr<BufferState>>>>(
      state, std::move(holds));
  for (size_t d = 0; d < num_devices; ++d) {
    if (wait) {
      if (events[d]) EventBridge::Await(env, api, events[d], "PJRT_LoadedExecutable_Execute");
      completions.Set(d, env.Undefined());
    } else if (!watch) {
      api->DestroyEvent(events[d]);  // nobody waits: failures surface on the outputs
    } else if (events[d]) {
      completions.Set(d, InstanceData::Get(env)->events->Watch(env, api, events[d], "PJRT_LoadedExecutable_Execute",
                                                                keep, nullptr));
    }
  }
  Napi::Array result = Napi::Array::New(env, 2);
  result.Set(0u, outputs_js);
  result.Set(1u, completions);
  return result;
}

Napi::Value ExecutableWrap::Serialize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  auto args = JAXTS_ARGS(pjrt::ExecutableSerializeArgs, serialized_executable_deleter);
  args.executable = state->executable;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kExecutableSerialize, &args),
                            "PJRT_Executable_Serialize");
  Napi::Uint8Array bytes = Napi::Uint8Array::New(env, args.serialized_bytes_size);
  memcpy(bytes.Data(), args.serialized_bytes, args.serialized_bytes_size);
  if (args.serialized_executable_deleter) args.serialized_executable_deleter(args.serialized_executable);
  return bytes;
}

Napi::Value ExecutableWrap::Dispose(const Napi::CallbackInfo& info) {
  state_.reset();
  return info.Env().Undefined();
}

}  // namespace jaxts
