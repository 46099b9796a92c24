// Module entry: registers the classes and the per-environment data.
#include "addon.h"

#include "events.h"

namespace jaxts {

namespace {

Napi::Value LoadPlugin(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsString()) {
    throw Napi::TypeError::New(env, "loadPlugin(path): expected the path of a PJRT plugin as a string");
  }
  const Api* api = Api::Load(env, info[0].As<Napi::String>().Utf8Value());
  return ConstructNative(env, InstanceData::Get(env)->plugin_ctor, const_cast<Api*>(api));
}

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsFunction()) {
    throw Napi::TypeError::New(env, "setErrorClass(ctor): expected a constructor");
  }
  InstanceData::Get(env)->error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return env.Undefined();
}

int g_token_tag = 0;

}  // namespace

size_t ElementSize(int type) {
  switch (type) {
    case pjrt::kPred: case pjrt::kS8: case pjrt::kU8: return 1;
    case pjrt::kS16: case pjrt::kU16: case pjrt::kF16: case pjrt::kBF16: return 2;
    case pjrt::kS32: case pjrt::kU32: case pjrt::kF32: return 4;
    case pjrt::kS64: case pjrt::kU64: case pjrt::kF64: case pjrt::kC64: return 8;
    case pjrt::kC128: return 16;
    default: return 0;
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new InstanceData();
  env.SetInstanceData(data);
  data->events = std::make_unique<EventBridge>(env);
  data->token = Napi::Persistent(Napi::External<void>::New(env, &g_token_tag));
  data->plugin_ctor = Napi::Persistent(PluginWrap::Init(env));
  data->client_ctor = Napi::Persistent(ClientWrap::Init(env));
  data->buffer_ctor = Napi::Persistent(BufferWrap::Init(env));
  data->executable_ctor = Napi::Persistent(ExecutableWrap::Init(env));
  exports.Set("loadPlugin", Napi::Function::New(env, LoadPlugin, "loadPlugin"));
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClass, "setErrorClass"));
  exports.Set("Plugin", data->plugin_ctor.Value());
  exports.Set("Client", data->client_ctor.Value());
  exports.Set("Buffer", data->buffer_ctor.Value());
  exports.Set("Executable", data->executable_ctor.Value());
  exports.Set("knownPjrtMinorVersion", Napi::Number::New(env, pjrt::kKnownMinorVersion));
  return exports;
}

}  // namespace jaxts

static Napi::Object InitJaxts(Napi::Env env, Napi::Object exports) { return jaxts::Init(env, exports); }
NODE_API_MODULE(jaxts, InitJaxts)
