// Buffer: metadata, device-to-host readback (async and sync), readiness and disposal.
#include "addon.h"
#include "events.h"

namespace jaxts {

BufferState::~BufferState() {
  if (!buffer) return;
  auto args = JAXTS_ARGS(pjrt::BufferDestroyArgs, buffer);
  args.buffer = buffer;
  bool missing = false;
  pjrt::Error* error = client->api->CallNoThrow(pjrt::kBufferDestroy, &args, &missing);
  if (error) client->api->DestroyError(error);
}

Napi::Function BufferWrap::Init(Napi::Env env) {
  return DefineClass(env, "Buffer",
                     {InstanceAccessor<&BufferWrap::Type>("type"),
                      InstanceAccessor<&BufferWrap::Dims>("dims"),
                      InstanceAccessor<&BufferWrap::Device>("deviceIndex"),
                      InstanceAccessor<&BufferWrap::OnDeviceSize>("onDeviceSizeInBytes"),
                      InstanceAccessor<&BufferWrap::IsDisposed>("isDisposed"),
                      InstanceMethod<&BufferWrap::ToHost>("toHost"),
                      InstanceMethod<&BufferWrap::ToHostSync>("toHostSync"),
                      InstanceMethod<&BufferWrap::Ready>("ready"),
                      InstanceMethod<&BufferWrap::ReadySync>("readySync"),
                      InstanceMethod<&BufferWrap::Dispose>("dispose")});
}

BufferWrap::BufferWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BufferWrap>(info) {
  auto* state = TakeHandoff<std::shared_ptr<BufferState>>(info);
  if (!state) throw Napi::TypeError::New(info.Env(), "Buffer cannot be constructed directly; use client.bufferFromHost()");
  state_ = std::move(*state);
}

BufferWrap::~BufferWrap() {
  if (external_bytes_) Napi::MemoryManagement::AdjustExternalMemory(Env(), -external_bytes_);
}

namespace {
std::vector<int64_t> DimsOf(Napi::Env env, const BufferState& state) {
  auto args = JAXTS_ARGS(pjrt::BufferDimensionsArgs, num_dims);
  args.buffer = state.buffer;
  state.client->api->Check(env, state.client->api->Call(env, pjrt::kBufferDimensions, &args), "PJRT_Buffer_Dimensions");
  return std::vector<int64_t>(args.dims, args.dims + args.num_dims);
}

int TypeOf(Napi::Env env, const BufferState& state) {
  auto args = JAXTS_ARGS(pjrt::BufferElementTypeArgs, type);
  args.buffer = state.buffer;
  state.client->api->Check(env, state.client->api->Call(env, pjrt::kBufferElementType, &args), "PJRT_Buffer_ElementType");
  return static_cast<int>(args.type);
}

size_t HostBytes(Napi::Env env, const BufferState& state) {
  size_t count = 1;
  for (int64_t d : DimsOf(env, state)) count *= static_cast<size_t>(d);
  const int type = TypeOf(env, state);
  const size_t element = ElementSize(type);
  if (element == 0) throw Napi::TypeError::New(env, "buffer has PJRT element type " + std::to_string(type) + ", which jaxts does not map");
  return count * element;
}
}  // namespace

Napi::Object BufferWrap::Wrap(Napi::Env env, std::shared_ptr<BufferState> state, int64_t host_bytes) {
  const int64_t bytes = host_bytes >= 0 ? host_bytes : static_cast<int64_t>(HostBytes(env, *state));
  Napi::Object object = ConstructNative(env, InstanceData::Get(env)->buffer_ctor, &state);
  BufferWrap* wrap = BufferWrap::Unwrap(object);
  wrap->external_bytes_ = bytes;
  Napi::MemoryManagement::AdjustExternalMemory(env, bytes);
  return object;
}

std::shared_ptr<BufferState> BufferWrap::Live(Napi::Env env) const {
  if (!state_) {
    throw Napi::Error::New(env, donated_ ? "jaxts: this buffer was donated to a computation and can no longer be used"
                                         : "jaxts: this buffer has been disposed");
  }
  return state_;
}

const std::shared_ptr<BufferState>& BufferWrap::StateOf(Napi::Env env, Napi::Value value, size_t arg, size_t device) {
  auto what = [&] { return "execute: argument " + std::to_string(arg) + " for device " + std::to_string(device); };
  Napi::Function ctor = InstanceData::Get(env)->buffer_ctor.Value();
  if (!value.IsObject() || !value.As<Napi::Object>().InstanceOf(ctor)) {
    throw Napi::TypeError::New(env, what() + " is not a device buffer");
  }
  BufferWrap* wrap = Napi::ObjectWrap<BufferWrap>::Unwrap(value.As<Napi::Object>());
  if (!wrap->state_) {
    throw Napi::Error::New(env, what() + (wrap->donated_ ? " was donated to an earlier computation" : " has been disposed"));
  }
  return wrap->state_;
}

void BufferWrap::Release(Napi::Env env) {
  state_.reset();  // the PJRT buffer goes once no pending operation holds it
  if (external_bytes_) Napi::MemoryManagement::AdjustExternalMemory(env, -external_bytes_);
  external_bytes_ = 0;
}

void BufferWrap::MarkDonated() {
  donated_ = true;
  Release(Env());
}

Napi::Value BufferWrap::Type(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), TypeOf(info.Env(), *Live(info.Env())));
}

Napi::Value BufferWrap::Dims(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> dims = DimsOf(env, *Live(env));
  Napi::Array result = Napi::Array::New(env, dims.size());
  for (size_t i = 0; i < dims.size(); ++i) result.Set(i, Napi::Number::New(env, static_cast<double>(dims[i])));
  return result;
}

Napi::Value BufferWrap::Device(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  auto args = JAXTS_ARGS(pjrt::BufferDeviceArgs, device);
  args.buffer = state->buffer;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kBufferDevice, &args), "PJRT_Buffer_Device");
  return Napi::Number::New(env, state->client->DeviceIndex(args.device));
}

Napi::Value BufferWrap::OnDeviceSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  auto args = JAXTS_ARGS(pjrt::BufferOnDeviceSizeInBytesArgs, on_device_size_in_bytes);
  args.buffer = state->buffer;
  state->client->api->Check(env, state->client->api->Call(env, pjrt::kBufferOnDeviceSizeInBytes, &args),
                            "PJRT_Buffer_OnDeviceSizeInBytes");
  return Napi::Number::New(env, static_cast<double>(args.on_device_size_in_bytes));
}

Napi::Value BufferWrap::IsDisposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), !state_); }

namespace {

// Starts a copy of `state` into a fresh V8-allocated ArrayBuffer in row-major order.
struct Readback {
  Napi::ArrayBuffer host;
  pjrt::Event* event = nullptr;
};

Readback StartReadback(Napi::Env env, const BufferState& state) {
  const Api* api = state.client->api;
  std::vector<int64_t> dims = DimsOf(env, state);
  const size_t bytes = HostBytes(env, state);
  Readback result{Napi::ArrayBuffer::New(env, bytes)};
  if (bytes == 0) return result;
  std::vector<int64_t> minor_to_major(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) minor_to_major[i] = static_cast<int64_t>(dims.size() - 1 - i);
  auto layout = JAXTS_ARGS(pjrt::BufferMemoryLayout, type);
  layout.type = pjrt::kLayoutTiled;
  layout.tiled.struct_size = JAXTS_PJRT_SIZE(pjrt::BufferMemoryLayoutTiled, num_tiles);
  layout.tiled.minor_to_major = minor_to_major.data();
  layout.tiled.minor_to_major_size = minor_to_major.size();
  auto args = JAXTS_ARGS(pjrt::BufferToHostBufferArgs, event);
  args.src = state.buffer;
  args.host_layout = &layout;
  args.dst = result.host.Data();
  args.dst_size = bytes;
  api->Check(env, api->Call(env, pjrt::kBufferToHostBuffer, &args), "PJRT_Buffer_ToHostBuffer");
  result.event = args.event;
  return result;
}

}  // namespace

// toHost(): Promise<ArrayBuffer>
Napi::Value BufferWrap::ToHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  Readback readback = StartReadback(env, *state);
  auto host = std::make_shared<Napi::Reference<Napi::ArrayBuffer>>(Napi::Persistent(readback.host));
  if (!readback.event) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Resolve(readback.host);
    return deferred.Promise();
  }
  // The source buffer and the destination stay alive until the copy completes.
  auto keep = std::make_shared<std::pair<std::shared_ptr<BufferState>, std::shared_ptr<Napi::Reference<Napi::ArrayBuffer>>>>(
      state, host);
  return InstanceData::Get(env)->events->Watch(env, state->client->api, readback.event, "PJRT_Buffer_ToHostBuffer",
                                               keep, [host](Napi::Env) -> Napi::Value { return host->Value(); });
}

// toHostSync(): ArrayBuffer — blocks the JS thread until the copy is done.
Napi::Value BufferWrap::ToHostSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  Readback readback = StartReadback(env, *state);
  if (readback.event) EventBridge::Await(env, state->client->api, readback.event, "PJRT_Buffer_ToHostBuffer");
  return readback.host;
}

namespace {
pjrt::Event* ReadyEvent(Napi::Env env, const BufferState& state) {
  auto args = JAXTS_ARGS(pjrt::BufferReadyEventArgs, event);
  args.buffer = state.buffer;
  state.client->api->Check(env, state.client->api->Call(env, pjrt::kBufferReadyEvent, &args), "PJRT_Buffer_ReadyEvent");
  return args.event;
}
}  // namespace

// ready(): Promise<void>, settled when the buffer's contents are computed (or failed).
Napi::Value BufferWrap::Ready(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  return InstanceData::Get(env)->events->Watch(env, state->client->api, ReadyEvent(env, *state), "buffer", state, nullptr);
}

// readySync(): blocks the JS thread until the buffer is computed; throws its error.
Napi::Value BufferWrap::ReadySync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto state = Live(env);
  EventBridge::Await(env, state->client->api, ReadyEvent(env, *state), "buffer");
  return env.Undefined();
}

Napi::Value BufferWrap::Dispose(const Napi::CallbackInfo& info) {
  Release(info.Env());
  return info.Env().Undefined();
}

}  // namespace jaxts
