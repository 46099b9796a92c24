// Shared declarations of the addon: per-environment data, native states with their
// lifetimes, and the JS classes. The addon moves bytes, programs, events and errors;
// dtypes, shapes and semantics stay in TypeScript.
#pragma once

#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "api.h"

namespace jaxts {

class EventBridge;

struct InstanceData {
  Napi::FunctionReference error_class;  // PjrtError, set by the TS layer
  Napi::FunctionReference plugin_ctor, client_ctor, buffer_ctor, executable_ctor;
  std::unique_ptr<EventBridge> events;
  // Native construction: the payload travels in `handoff`, and the constructor accepts only
  // `token`, so JS cannot construct the classes (and no per-object External is created).
  Napi::Reference<Napi::External<void>> token;
  void* handoff = nullptr;
  static InstanceData* Get(Napi::Env env) { return env.GetInstanceData<InstanceData>(); }
};

template <typename T>
Napi::Object ConstructNative(Napi::Env env, Napi::FunctionReference& ctor, T* payload) {
  InstanceData* data = InstanceData::Get(env);
  data->handoff = payload;
  Napi::Object object = ctor.New({data->token.Value()});
  data->handoff = nullptr;
  return object;
}

// The payload of a native construction, or nullptr when JS called the constructor.
template <typename T>
T* TakeHandoff(const Napi::CallbackInfo& info) {
  InstanceData* data = InstanceData::Get(info.Env());
  if (info.Length() != 1 || !data->handoff || !info[0].StrictEquals(data->token.Value())) return nullptr;
  T* payload = static_cast<T*>(data->handoff);
  data->handoff = nullptr;
  return payload;
}

// A PJRT client. Shared by every buffer and executable made from it, so it is destroyed
// last (the CUDA plugin crashes when buffers outlive their client).
struct ClientState {
  const Api* api;
  pjrt::Client* client;
  std::vector<pjrt::Device*> devices;  // addressable devices, in the plugin's order
  std::string platform;
  ~ClientState();
  int DeviceIndex(pjrt::Device* device) const;
};

// A device buffer; destroyed when the JS object is disposed or collected and no pending
// operation (a readback, an execution) still uses it.
struct BufferState {
  std::shared_ptr<ClientState> client;
  pjrt::Buffer* buffer;
  ~BufferState();
};

struct ExecutableState {
  std::shared_ptr<ClientState> client;
  pjrt::LoadedExecutable* loaded;
  pjrt::Executable* executable;  // from GetExecutable; owned
  ~ExecutableState();
};

class PluginWrap : public Napi::ObjectWrap<PluginWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit PluginWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Path(const Napi::CallbackInfo& info);
  Napi::Value ApiVersion(const Napi::CallbackInfo& info);
  Napi::Value Attributes(const Napi::CallbackInfo& info);
  Napi::Value CreateClient(const Napi::CallbackInfo& info);
  const Api* api_ = nullptr;
};

class ClientWrap : public Napi::ObjectWrap<ClientWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit ClientWrap(const Napi::CallbackInfo& info);
  std::shared_ptr<ClientState> state() const { return state_; }
  std::shared_ptr<ClientState> Live(Napi::Env env, const char* what) const;

 private:
  Napi::Value PlatformName(const Napi::CallbackInfo& info);
  Napi::Value PlatformVersion(const Napi::CallbackInfo& info);
  Napi::Value Devices(const Napi::CallbackInfo& info);
  Napi::Value MemoryStats(const Napi::CallbackInfo& info);
  Napi::Value BufferFromHost(const Napi::CallbackInfo& info);
  Napi::Value Compile(const Napi::CallbackInfo& info);
  Napi::Value CompileSync(const Napi::CallbackInfo& info);
  Napi::Value Deserialize(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  std::shared_ptr<ClientState> state_;
};

class BufferWrap : public Napi::ObjectWrap<BufferWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit BufferWrap(const Napi::CallbackInfo& info);
  ~BufferWrap() override;
  // `host_bytes` < 0: ask PJRT for the buffer's size.
  static Napi::Object Wrap(Napi::Env env, std::shared_ptr<BufferState> state, int64_t host_bytes = -1);
  // The state of live buffer argument `arg` for device `device`; throws naming them otherwise.
  static const std::shared_ptr<BufferState>& StateOf(Napi::Env env, Napi::Value value, size_t arg, size_t device);
  void MarkDonated();

 private:
  Napi::Value Type(const Napi::CallbackInfo& info);
  Napi::Value Dims(const Napi::CallbackInfo& info);
  Napi::Value Device(const Napi::CallbackInfo& info);
  Napi::Value OnDeviceSize(const Napi::CallbackInfo& info);
  Napi::Value IsDisposed(const Napi::CallbackInfo& info);
  Napi::Value ToHost(const Napi::CallbackInfo& info);
  Napi::Value ToHostSync(const Napi::CallbackInfo& info);
  Napi::Value Ready(const Napi::CallbackInfo& info);
  Napi::Value ReadySync(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  std::shared_ptr<BufferState> Live(Napi::Env env) const;
  void Release(Napi::Env env);

  std::shared_ptr<BufferState> state_;
  int64_t external_bytes_ = 0;
  bool donated_ = false;
};

class ExecutableWrap : public Napi::ObjectWrap<ExecutableWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit ExecutableWrap(const Napi::CallbackInfo& info);
  static Napi::Object Wrap(Napi::Env env, std::shared_ptr<ExecutableState> state);

 private:
  Napi::Value NumOutputs(const Napi::CallbackInfo& info);
  Napi::Value OutputTypes(const Napi::CallbackInfo& info);
  Napi::Value OutputDims(const Napi::CallbackInfo& info);
  Napi::Value AddressableDevices(const Napi::CallbackInfo& info);
  Napi::Value Fingerprint(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Execute(const Napi::CallbackInfo& info);
  Napi::Value ExecuteOne(const Napi::CallbackInfo& info);
  Napi::Array WrapOutputs(Napi::Env env, const std::shared_ptr<ExecutableState>& state,
                          const std::vector<pjrt::Buffer*>& buffers) const;
  Napi::Value Serialize(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  std::shared_ptr<ExecutableState> Live(Napi::Env env) const;
  std::shared_ptr<ExecutableState> state_;
  size_t num_outputs_ = 0;
  std::vector<int64_t> output_bytes_;  // host bytes of each output, known from the program
};

// Byte size of one element of a PJRT buffer type, or 0 for types we do not map.
size_t ElementSize(int type);

}  // namespace jaxts
